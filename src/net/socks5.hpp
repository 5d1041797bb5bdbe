// SOCKS5 (RFC 1928) on the proxy's port, for clients that speak no HTTP proxy (git over ssh
// through `ssh -o ProxyCommand`, ALL_PROXY=socks5h://). Only CONNECT, without authentication;
// the domain form is decided by name like an HTTP CONNECT, the address forms like literals.
// Pure parsing here; the session does the I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace paddock::net::socks5 {

inline constexpr unsigned char kVersion = 0x05;

// Reply codes (RFC 1928 section 6).
enum class Reply : unsigned char {
  succeeded = 0x00,
  general_failure = 0x01,
  not_allowed = 0x02,  // "connection not allowed by ruleset": every policy denial
  network_unreachable = 0x03,
  host_unreachable = 0x04,
  connection_refused = 0x05,
  command_not_supported = 0x07,
  address_type_not_supported = 0x08,
};

// How many bytes of `data` the greeting (VER NMETHODS METHODS...) takes, 0 when incomplete;
// `no_auth` says whether the client offers method 0 (no authentication).
struct Greeting {
  std::size_t length = 0;
  bool valid = false;
  bool no_auth = false;
};
Greeting parse_greeting(std::string_view data);

// VER CMD RSV ATYP DST.ADDR DST.PORT.
struct Request {
  std::size_t length = 0;      // 0: incomplete
  std::optional<Reply> error;  // set: refuse with this reply
  unsigned char command = 0;
  std::string host;  // the domain as sent, or the address's text
  std::uint16_t port = 0;
};
Request parse_request(std::string_view data);

// The reply to a request: VER REP RSV ATYP(IPv4) 0.0.0.0:0 (clients ignore the bound address).
std::string reply(Reply code);

}  // namespace paddock::net::socks5
