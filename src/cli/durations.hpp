// Ages and instants on the command line, for `audit query --since` and `runs prune
// --older-than`: Cedar's duration and datetime syntax (cedar/extensions.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace paddock::cli {

// The age in nanoseconds; nullopt for anything else, a negative age, or an overflow.
// "90s", "30m", "12h", "7d", "1d12h".
std::optional<std::int64_t> parse_age(std::string_view text);

// A Cedar datetime ("2026-12-06", "2026-12-06T23:00:00Z", "2026-12-06T23:00:00.250+0100") in
// nanoseconds since the epoch; nullopt for anything else.
std::optional<std::int64_t> parse_instant(std::string_view text);

}  // namespace paddock::cli
