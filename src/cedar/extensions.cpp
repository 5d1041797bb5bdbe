#include "cedar/extensions.hpp"

#include <fmt/core.h>

namespace paddock::cedar {

__extension__ using Int128 = __int128;
__extension__ using UInt128 = unsigned __int128;

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses all of `s` as an unsigned decimal number of at most `max_digits` digits.
std::optional<unsigned> parse_small_uint(std::string_view s, std::size_t max_digits) {
  if (s.empty() || s.size() > max_digits) return std::nullopt;
  unsigned v = 0;
  for (char c : s) {
    if (!is_digit(c)) return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  return v;
}

}  // namespace

// ---- decimal ----

std::optional<std::int64_t> parse_decimal(std::string_view text) noexcept {
  bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  auto dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  std::string_view whole = text.substr(0, dot);
  std::string_view frac = text.substr(dot + 1);
  if (frac.empty() || frac.size() > 4) return std::nullopt;
  Int128 v = 0;
  for (char c : whole) {
    if (!is_digit(c)) return std::nullopt;
    v = v * 10 + (c - '0');
    if (v > (static_cast<Int128>(1) << 64)) return std::nullopt;
  }
  for (char c : frac) {
    if (!is_digit(c)) return std::nullopt;
  }
  v *= 10000;
  Int128 f = 0;
  for (std::size_t i = 0; i < 4; ++i) f = f * 10 + (i < frac.size() ? frac[i] - '0' : 0);
  v += f;
  if (negative) v = -v;
  if (v < INT64_MIN || v > INT64_MAX) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

std::string format_decimal(std::int64_t scaled) {
  Int128 v = scaled;
  bool negative = v < 0;
  if (negative) v = -v;
  auto whole = static_cast<unsigned long long>(v / 10000);
  auto frac = static_cast<unsigned>(v % 10000);
  return fmt::format("{}{}.{:04}", negative ? "-" : "", whole, frac);
}

// ---- ipaddr ----

namespace {

std::optional<IpAddr> parse_ipv4(std::string_view s) {
  IpAddr ip;
  ip.v4 = true;
  for (int octet = 0; octet < 4; ++octet) {
    auto end = octet < 3 ? s.find('.') : s.size();
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view part = s.substr(0, end);
    if (part.size() > 1 && part.front() == '0') return std::nullopt;  // no octal-looking octets
    auto v = parse_small_uint(part, 3);
    if (!v || *v > 255) return std::nullopt;
    ip.bytes[static_cast<std::size_t>(octet)] = static_cast<std::uint8_t>(*v);
    s.remove_prefix(octet < 3 ? end + 1 : end);
  }
  ip.prefix = 32;
  return ip;
}

// Hex groups separated by ':' (no "::" inside); appends up to `max` groups.
bool parse_groups(std::string_view s, std::uint16_t* out, int& count, int max) {
  count = 0;
  if (s.empty()) return true;
  while (true) {
    auto end = s.find(':');
    std::string_view g = s.substr(0, end);
    if (g.empty() || g.size() > 4 || count == max) return false;
    unsigned v = 0;
    for (char c : g) {
      int h = hex_value(c);
      if (h < 0) return false;
      v = v * 16 + static_cast<unsigned>(h);
    }
    out[count++] = static_cast<std::uint16_t>(v);
    if (end == std::string_view::npos) return true;
    s.remove_prefix(end + 1);
  }
}

std::optional<IpAddr> parse_ipv6(std::string_view s) {
  std::uint16_t head[8];
  std::uint16_t tail[8];
  int nhead = 0;
  int ntail = 0;
  auto gap = s.find("::");
  if (gap == std::string_view::npos) {
    if (!parse_groups(s, head, nhead, 8) || nhead != 8) return std::nullopt;
  } else {
    if (s.find("::", gap + 1) != std::string_view::npos) return std::nullopt;
    if (!parse_groups(s.substr(0, gap), head, nhead, 7)) return std::nullopt;
    if (!parse_groups(s.substr(gap + 2), tail, ntail, 7)) return std::nullopt;
    if (nhead + ntail > 7) return std::nullopt;
  }
  IpAddr ip;
  ip.v4 = false;
  ip.prefix = 128;
  std::uint16_t groups[8] = {};
  for (int i = 0; i < nhead; ++i) groups[i] = head[i];
  for (int i = 0; i < ntail; ++i) groups[8 - ntail + i] = tail[i];
  for (std::size_t i = 0; i < 8; ++i) {
    ip.bytes[2 * i] = static_cast<std::uint8_t>(groups[i] >> 8);
    ip.bytes[2 * i + 1] = static_cast<std::uint8_t>(groups[i] & 0xff);
  }
  return ip;
}

// The first and last address of the range an address/prefix denotes, as 128-bit numbers.
void ip_range(const IpAddr& ip, UInt128& lo, UInt128& hi) {
  unsigned width = ip.v4 ? 32 : 128;
  UInt128 v = 0;
  for (unsigned i = 0; i < width / 8; ++i) v = (v << 8) | ip.bytes[i];
  unsigned host_bits = width - ip.prefix;
  UInt128 host_mask = host_bits >= 128 ? ~static_cast<UInt128>(0) : ((static_cast<UInt128>(1) << host_bits) - 1);
  lo = v & ~host_mask;
  hi = v | host_mask;
}

}  // namespace

std::optional<IpAddr> parse_ip(std::string_view text) noexcept {
  std::string_view addr = text;
  std::string_view prefix;
  bool has_prefix = false;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    addr = text.substr(0, slash);
    prefix = text.substr(slash + 1);
    has_prefix = true;
  }
  std::optional<IpAddr> ip;
  if (addr.find(':') != std::string_view::npos) {
    if (addr.find('.') != std::string_view::npos) return std::nullopt;  // embedded IPv4 is rejected
    ip = parse_ipv6(addr);
  } else {
    ip = parse_ipv4(addr);
  }
  if (!ip) return std::nullopt;
  if (has_prefix) {
    unsigned max = ip->v4 ? 32 : 128;
    if (prefix.size() > 1 && prefix.front() == '0') return std::nullopt;
    auto p = parse_small_uint(prefix, ip->v4 ? 2 : 3);
    if (!p || *p > max) return std::nullopt;
    ip->prefix = static_cast<std::uint8_t>(*p);
  }
  return ip;
}

std::string format_ip(const IpAddr& ip) {
  std::string out;
  if (ip.v4) {
    out = fmt::format("{}.{}.{}.{}", ip.bytes[0], ip.bytes[1], ip.bytes[2], ip.bytes[3]);
  } else {
    // Compress the longest run of zero groups (at least two), as RFC 5952 says.
    unsigned groups[8];
    for (std::size_t i = 0; i < 8; ++i) groups[i] = (unsigned{ip.bytes[2 * i]} << 8) | ip.bytes[2 * i + 1];
    int best = -1;
    int best_len = 1;
    for (int i = 0; i < 8;) {
      int j = i;
      while (j < 8 && groups[j] == 0) ++j;
      if (j - i > best_len) {
        best = i;
        best_len = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    for (int i = 0; i < 8; ++i) {
      if (i == best) {
        out += "::";
        i += best_len - 1;
        continue;
      }
      if (!out.empty() && out.back() != ':') out += ':';
      out += fmt::format("{:x}", groups[i]);
    }
  }
  if (ip.prefix != (ip.v4 ? 32 : 128)) out += fmt::format("/{}", ip.prefix);
  return out;
}

bool ip_in_range(const IpAddr& ip, const IpAddr& range) noexcept {
  if (ip.v4 != range.v4) return false;
  UInt128 lo1, hi1, lo2, hi2;
  ip_range(ip, lo1, hi1);
  ip_range(range, lo2, hi2);
  return lo1 >= lo2 && hi1 <= hi2;
}

bool ip_is_loopback(const IpAddr& ip) noexcept {
  IpAddr range;
  range.v4 = ip.v4;
  if (ip.v4) {
    range.bytes[0] = 127;
    range.prefix = 8;
  } else {
    range.bytes[15] = 1;
    range.prefix = 128;
  }
  return ip_in_range(ip, range);
}

bool ip_is_multicast(const IpAddr& ip) noexcept {
  IpAddr range;
  range.v4 = ip.v4;
  range.bytes[0] = ip.v4 ? 224 : 0xff;
  range.prefix = ip.v4 ? 4 : 8;
  return ip_in_range(ip, range);
}

// ---- datetime and duration ----

namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

std::optional<unsigned> fixed_digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  for (std::size_t i = pos; i < pos + n; ++i)
    if (!is_digit(s[i])) return std::nullopt;
  return parse_small_uint(s.substr(pos, n), n);
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace

std::optional<std::int64_t> parse_datetime(std::string_view s) noexcept {
  auto year = fixed_digits(s, 0, 4);
  auto month = fixed_digits(s, 5, 2);
  auto day = fixed_digits(s, 8, 2);
  if (!year || !month || !day || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (*month < 1 || *month > 12 || *day < 1 || *day > days_in_month(*year, *month)) return std::nullopt;
  std::int64_t ms = days_from_civil(*year, *month, *day) * kMsPerDay;
  if (s.size() == 10) return ms;
  auto hh = fixed_digits(s, 11, 2);
  auto mm = fixed_digits(s, 14, 2);
  auto ss = fixed_digits(s, 17, 2);
  if (s.size() < 20 || s[10] != 'T' || !hh || !mm || !ss || s[13] != ':' || s[16] != ':') return std::nullopt;
  if (*hh > 23 || *mm > 59 || *ss > 59) return std::nullopt;
  ms += ((*hh * 60 + *mm) * 60 + *ss) * 1000LL;
  std::size_t pos = 19;
  if (s[pos] == '.') {
    auto millis = fixed_digits(s, pos + 1, 3);
    if (!millis) return std::nullopt;
    ms += *millis;
    pos += 4;
  }
  std::string_view zone = s.substr(pos);
  if (zone == "Z") return ms;
  if (zone.size() != 5 || (zone[0] != '+' && zone[0] != '-')) return std::nullopt;
  auto oh = fixed_digits(zone, 1, 2);
  auto om = fixed_digits(zone, 3, 2);
  if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
  std::int64_t offset = (*oh * 60LL + *om) * 60'000;
  // Local time minus the offset is UTC.
  return zone[0] == '+' ? ms - offset : ms + offset;
}

std::string format_datetime(std::int64_t ms) {
  std::int64_t days = floor_div(ms, kMsPerDay);
  std::int64_t rest = ms - days * kMsPerDay;
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", y, m, d, rest / 3'600'000, rest / 60'000 % 60,
                     rest / 1000 % 60, rest % 1000);
}

std::optional<std::int64_t> datetime_to_date(std::int64_t ms) noexcept {
  return checked_mul(floor_div(ms, kMsPerDay), kMsPerDay);
}

std::int64_t datetime_to_time(std::int64_t ms) noexcept {
  std::int64_t r = ms % kMsPerDay;
  return r < 0 ? r + kMsPerDay : r;
}

std::optional<std::int64_t> parse_duration(std::string_view s) noexcept {
  bool negative = !s.empty() && s.front() == '-';
  if (negative) s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  struct Unit {
    std::string_view suffix;
    std::int64_t ms;
  };
  static constexpr Unit kUnits[] = {{"d", kMsPerDay}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1000}, {"ms", 1}};
  std::int64_t total = 0;
  std::size_t next_unit = 0;  // units must come in this order, each at most once
  while (!s.empty()) {
    std::size_t n = 0;
    while (n < s.size() && is_digit(s[n])) ++n;
    if (n == 0) return std::nullopt;
    std::int64_t amount = 0;
    for (std::size_t i = 0; i < n; ++i) {
      auto next = checked_mul(amount, 10);
      if (!next) return std::nullopt;
      auto sum = checked_add(*next, s[i] - '0');
      if (!sum) return std::nullopt;
      amount = *sum;
    }
    s.remove_prefix(n);
    std::size_t unit = 0;
    if (s.starts_with("ms")) {
      unit = 4;
    } else if (s.starts_with("d")) {
      unit = 0;
    } else if (s.starts_with("h")) {
      unit = 1;
    } else if (s.starts_with("m")) {
      unit = 2;
    } else if (s.starts_with("s")) {
      unit = 3;
    } else {
      return std::nullopt;
    }
    if (unit < next_unit) return std::nullopt;
    next_unit = unit + 1;
    s.remove_prefix(kUnits[unit].suffix.size());
    auto part = checked_mul(amount, kUnits[unit].ms);
    if (!part) return std::nullopt;
    auto sum = checked_add(total, *part);
    if (!sum) return std::nullopt;
    total = *sum;
  }
  if (negative) return checked_sub(0, total);
  return total;
}

std::string format_duration(std::int64_t ms) {
  if (ms == 0) return "0ms";
  std::string out;
  unsigned long long v;
  if (ms < 0) {
    out = "-";
    v = 0ULL - static_cast<unsigned long long>(ms);
  } else {
    v = static_cast<unsigned long long>(ms);
  }
  static constexpr std::pair<const char*, unsigned long long> kUnits[] = {
      {"d", 86'400'000ULL}, {"h", 3'600'000ULL}, {"m", 60'000ULL}, {"s", 1000ULL}, {"ms", 1ULL}};
  for (const auto& [suffix, size] : kUnits) {
    if (v >= size) {
      out += fmt::format("{}{}", v / size, suffix);
      v %= size;
    }
  }
  return out;
}

}  // namespace paddock::cedar
