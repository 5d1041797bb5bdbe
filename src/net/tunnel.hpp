// An allowed tunnel (CONNECT or SOCKS5): bytes both ways until both sides have closed, counted.
// Before the client's first bytes go upstream they are inspected (first_bytes.hpp) and the
// caller's check may refuse them; the server's bytes flow from the start (server-first
// protocols such as SMTP or MySQL work).
#pragma once

#include <utility>  // first: Boost 1.74's asio/awaitable.hpp uses std::exchange without it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <functional>
#include <string>

#include "net/first_bytes.hpp"

namespace paddock::net {

struct TunnelResult {
  std::uint64_t bytes_up = 0;    // client -> upstream
  std::uint64_t bytes_down = 0;  // upstream -> client
  std::string error;             // "" on a clean close; the refusal when `check` refused
  bool refused = false;          // `check` refused the client's first bytes
};

// Returns "" to let the tunnel carry these bytes, or why it must not.
using FirstBytesCheck = std::function<std::string(const FirstBytesVerdict&)>;

// `pending`: bytes the client sent after its request, already read (they go first).
boost::asio::awaitable<TunnelResult> run_tunnel(boost::asio::ip::tcp::socket& client,
                                                boost::asio::ip::tcp::socket& upstream, std::string pending,
                                                FirstBytesCheck check);

}  // namespace paddock::net
