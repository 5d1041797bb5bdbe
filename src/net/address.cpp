#include "net/address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "policy/vocabulary.hpp"

namespace paddock::net {
namespace {

namespace ip = boost::asio::ip;

bool in_v4(const ip::address_v4& a, std::uint32_t net, int bits) {
  const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  return (a.to_uint() & mask) == (net & mask);
}

constexpr std::uint32_t v4(unsigned a, unsigned b, unsigned c, unsigned d) {
  return a << 24 | b << 16 | c << 8 | d;
}

bool in_v6(const ip::address_v6& a, std::array<unsigned char, 16> net, int bits) {
  const auto bytes = a.to_bytes();
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const unsigned mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i] & mask) != (net[i] & mask)) return false;
  }
  return true;
}

std::optional<std::string_view> special_v4(const ip::address_v4& a) {
  if (in_v4(a, v4(169, 254, 169, 254), 32)) return "cloud metadata";
  if (in_v4(a, v4(127, 0, 0, 0), 8)) return "loopback";
  if (in_v4(a, v4(0, 0, 0, 0), 8)) return "unspecified (reaches this host)";
  if (in_v4(a, v4(10, 0, 0, 0), 8) || in_v4(a, v4(172, 16, 0, 0), 12) || in_v4(a, v4(192, 168, 0, 0), 16))
    return "private (RFC 1918)";
  if (in_v4(a, v4(169, 254, 0, 0), 16)) return "link-local";
  if (in_v4(a, v4(100, 64, 0, 0), 10)) return "carrier-grade NAT";
  if (in_v4(a, v4(192, 0, 0, 0), 24)) return "IETF protocol assignments";
  if (in_v4(a, v4(198, 18, 0, 0), 15)) return "benchmarking";
  if (in_v4(a, v4(224, 0, 0, 0), 4)) return "multicast";
  if (in_v4(a, v4(240, 0, 0, 0), 4)) return "reserved";
  return std::nullopt;
}

}  // namespace

std::optional<ip::address> parse_ip_literal(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty() || host.size() > 64) return std::nullopt;
  const std::string text(host);
  if (text.find(':') != std::string::npos) {
    in6_addr a6{};
    if (::inet_pton(AF_INET6, text.c_str(), &a6) != 1) return std::nullopt;
    ip::address_v6::bytes_type bytes;
    std::copy(std::begin(a6.s6_addr), std::end(a6.s6_addr), bytes.begin());
    ip::address_v6 v6(bytes);
    if (v6.is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, v6);
    return v6;
  }
  // inet_aton is the parser every C client uses, so it decides what counts as an IPv4
  // literal; it stops at white space, so only its own characters are let through.
  if (text.find_first_not_of("0123456789abcdefABCDEFxX.") != std::string::npos) return std::nullopt;
  in_addr a4{};
  if (::inet_aton(text.c_str(), &a4) == 0) return std::nullopt;
  return ip::address_v4(ntohl(a4.s_addr));
}

std::optional<std::string> canonical_host(std::string_view host) {
  if (auto literal = parse_ip_literal(host)) return literal->to_string();
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.empty() || host.size() > 253) return std::nullopt;
  std::string out;
  out.reserve(host.size());
  std::size_t label = 0;
  for (char c : host) {
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower == '.') {
      if (label == 0) return std::nullopt;
      label = 0;
    } else if ((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || lower == '-' || lower == '_') {
      if (++label > 63) return std::nullopt;
    } else {
      return std::nullopt;
    }
    out += lower;
  }
  if (label == 0) return std::nullopt;
  return out;
}

std::optional<std::string_view> special_range(const ip::address& address) {
  if (address.is_v4()) return special_v4(address.to_v4());
  const auto a = address.to_v6();
  if (a.is_v4_mapped()) return special_v4(ip::make_address_v4(ip::v4_mapped, a));
  if (a.is_loopback()) return "loopback";
  if (a.is_unspecified()) return "unspecified (reaches this host)";
  if (in_v6(a, {0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54}, 128)) return "cloud metadata";
  if (in_v6(a, {0xfc}, 7)) return "unique local (IPv6)";
  if (in_v6(a, {0xfe, 0x80}, 10)) return "link-local";
  if (in_v6(a, {0xfe, 0xc0}, 10)) return "site-local (IPv6)";
  if (in_v6(a, {0xff}, 8)) return "multicast";
  if (in_v6(a, {0x00, 0x64, 0xff, 0x9b}, 96) || in_v6(a, {0x00, 0x64, 0xff, 0x9b, 0x00, 0x01}, 48))
    return "NAT64 (reaches IPv4 addresses)";
  if (in_v6(a, {}, 96)) return "IPv4-compatible (deprecated)";
  if (in_v6(a, {0x20, 0x02}, 16)) return "6to4 (reaches IPv4 addresses)";
  return std::nullopt;
}

std::optional<Authority> parse_authority(std::string_view text, std::uint16_t default_port) {
  std::string_view host = text, port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = text.substr(0, close + 1);
    const auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      port_text = rest.substr(1);
      if (port_text.empty()) return std::nullopt;
    }
  } else if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
    if (text.find(':') != colon) return std::nullopt;  // IPv6 without brackets: ambiguous
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (port_text.empty()) return std::nullopt;
  }
  Authority out;
  out.port = default_port;
  if (!port_text.empty()) {
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535)
      return std::nullopt;
    out.port = static_cast<std::uint16_t>(port);
  }
  if (out.port == 0) return std::nullopt;
  auto canonical = canonical_host(host);
  if (!canonical) return std::nullopt;
  out.host = std::move(*canonical);
  return out;
}

std::string host_text(std::string_view host) {
  return host.find(':') != std::string_view::npos ? "[" + std::string(host) + "]" : std::string(host);
}

std::string authority_text(std::string_view host, std::uint16_t port) {
  return policy::host_id(host, port);
}

}  // namespace paddock::net
