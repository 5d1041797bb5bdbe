// Cedar's extension types (Lean spec Ext/*.lean): decimal, ipaddr, datetime and duration.
// Parsers return std::nullopt on malformed text (the evaluator turns that into an extension
// error at run time, as Cedar does); arithmetic returns nullopt on 64-bit overflow.
// Nothing here throws or allocates, except the format_* helpers used for printing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cedar/value.hpp"

namespace paddock::cedar {

// decimal: "-?[0-9]+.[0-9]{1,4}" as an Int64 scaled by 10^4.
std::optional<std::int64_t> parse_decimal(std::string_view text) noexcept;
std::string format_decimal(std::int64_t scaled);

// ipaddr: dotted IPv4 (no leading zeros) or IPv6 (no embedded IPv4), optional "/prefix".
std::optional<IpAddr> parse_ip(std::string_view text) noexcept;
std::string format_ip(const IpAddr& ip);
bool ip_in_range(const IpAddr& ip, const IpAddr& range) noexcept;  // false across families
bool ip_is_loopback(const IpAddr& ip) noexcept;
bool ip_is_multicast(const IpAddr& ip) noexcept;

// datetime: milliseconds since the Unix epoch, UTC.
std::optional<std::int64_t> parse_datetime(std::string_view text) noexcept;
std::string format_datetime(std::int64_t ms);
std::optional<std::int64_t> datetime_to_date(std::int64_t ms) noexcept;  // floor to midnight
std::int64_t datetime_to_time(std::int64_t ms) noexcept;                 // ms since midnight, >= 0

// duration: "-?(Nd)?(Nh)?(Nm)?(Ns)?(Nms)?" with at least one unit, in milliseconds.
std::optional<std::int64_t> parse_duration(std::string_view text) noexcept;
std::string format_duration(std::int64_t ms);

// Checked 64-bit arithmetic (Cedar: every overflow is an error).
inline std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}
inline std::optional<std::int64_t> checked_sub(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) return std::nullopt;
  return r;
}
inline std::optional<std::int64_t> checked_mul(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

}  // namespace paddock::cedar
