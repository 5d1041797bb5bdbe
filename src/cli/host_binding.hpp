// The hosts a flag binds (`secret add --host`, `run --intercept`): one spelling per host, the
// one creds::binding_covers compares against.
#pragma once

#include <string>

namespace paddock::cli {

// "api.example.com", "*.example.com", "api.example.com:8443", "[::1]:8443", "127.0.0.1" -> the
// canonical spelling; throws Error naming `flag` for anything else.
std::string canonical_binding(const std::string& text, const std::string& flag);

}  // namespace paddock::cli
