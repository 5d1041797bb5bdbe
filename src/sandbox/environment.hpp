// The sandbox's environment: a short allowlist of the host's variables (terminal, locale, time
// zone, PATH), the identity variables paddock sets itself, and the user's --env entries. Never
// the host's tokens: anything not listed stays outside.
#pragma once

#include <string>
#include <vector>

namespace paddock::sandbox {

struct Identity {
  std::string home;
  std::string user;
  std::string workspace;
};

// `extra` holds "K=V" (set) or "K" (pass the host's value); throws Error on a malformed entry.
std::vector<std::string> sandbox_environment(const std::vector<std::string>& host_environ,
                                             const std::vector<std::string>& extra, const Identity& identity);

}  // namespace paddock::sandbox
