#include "cli/durations.hpp"

#include <charconv>

namespace paddock::cli {

std::optional<std::int64_t> parse_age(std::string_view text) {
  std::int64_t amount = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), amount);
  if (ec != std::errc() || amount < 0 || end + 1 != text.data() + text.size()) return std::nullopt;
  std::int64_t seconds = 0;
  switch (*end) {
    case 's':
      seconds = 1;
      break;
    case 'm':
      seconds = 60;
      break;
    case 'h':
      seconds = 3600;
      break;
    case 'd':
      seconds = 86400;
      break;
    default:
      return std::nullopt;
  }
  if (amount > INT64_MAX / (seconds * 1'000'000'000)) return std::nullopt;
  return amount * seconds * 1'000'000'000;
}

}  // namespace paddock::cli
