// Ages on the command line ("90s", "30m", "12h", "7d"), for `audit query --since` and
// `runs prune --older-than`.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace paddock::cli {

// The age in nanoseconds; nullopt unless `text` is digits and one of the units s, m, h, d.
std::optional<std::int64_t> parse_age(std::string_view text);

}  // namespace paddock::cli
