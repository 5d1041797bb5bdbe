#include "cli/durations.hpp"

#include "cedar/extensions.hpp"

namespace paddock::cli {

std::optional<std::int64_t> parse_age(std::string_view text) {
  const auto ms = cedar::parse_duration(text);
  if (!ms || *ms < 0) return std::nullopt;
  return cedar::checked_mul(*ms, 1'000'000);
}

std::optional<std::int64_t> parse_instant(std::string_view text) {
  const auto ms = cedar::parse_datetime(text);
  if (!ms) return std::nullopt;
  return cedar::checked_mul(*ms, 1'000'000);
}

}  // namespace paddock::cli
