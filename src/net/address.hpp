// Hosts as clients write them, made canonical before any decision (SECURITY-BATTERY rows 41 and
// 42): IP literals in every form the C library accepts (decimal 2130706433, octal 0177.0.0.1,
// hex 0x7f.1, short 127.1, bracketed IPv6, IPv4-mapped ::ffff:a.b.c.d) become one text, and
// the address ranges that reach the host or its neighbours are named, so that the proxy can
// refuse them unless a policy names the address itself.
#pragma once

#include <boost/asio/ip/address.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace paddock::net {

// An IP literal in any accepted form -> the address; IPv4-mapped IPv6 becomes IPv4 (the
// kernel connects to the IPv4 address). nullopt for anything that is not a literal.
std::optional<boost::asio::ip::address> parse_ip_literal(std::string_view host);

// Lower-case, without brackets or a trailing dot; IP literals in their canonical text
// ("2130706433" -> "127.0.0.1", "[::FFFF:7f00:1]" -> "127.0.0.1"). nullopt for a host that is
// neither a valid DNS name nor a literal (empty labels, bytes outside [a-z0-9-_.]).
std::optional<std::string> canonical_host(std::string_view host);

// The range an address belongs to when it is not an ordinary public address: "loopback",
// "private (RFC 1918)", "link-local", "cloud metadata", "carrier-grade NAT", "unspecified",
// "multicast", "reserved", "unique local (IPv6)", "NAT64" ...; nullopt for a public address.
std::optional<std::string_view> special_range(const boost::asio::ip::address& address);

// "host:port", "[v6]:port" or "host" (then `default_port`). nullopt when malformed (no host,
// a port outside 1..65535, an unbracketed IPv6 literal with a port).
struct Authority {
  std::string host;  // canonical (see canonical_host)
  std::uint16_t port = 0;
};
std::optional<Authority> parse_authority(std::string_view text, std::uint16_t default_port);

// A host as written in URLs and Host fields: IPv6 literals in brackets ("[::1]").
std::string host_text(std::string_view host);

// host:port as written in policies and messages ("[::1]:443" for IPv6): the id of Host::"host:port".
std::string authority_text(std::string_view host, std::uint16_t port);

}  // namespace paddock::net
