// Ages on the command line ("90s", "30m", "12h", "7d", "1d12h"), for `audit query --since` and
// `runs prune --older-than`: Cedar's duration syntax (cedar/extensions.hpp), never negative.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace paddock::cli {

// The age in nanoseconds; nullopt for anything else, a negative age, or an overflow.
std::optional<std::int64_t> parse_age(std::string_view text);

}  // namespace paddock::cli
