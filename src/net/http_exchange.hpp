// One request and its response across the proxy, for every kind of connection that the proxy
// reads in the clear (the forward proxy's plain TCP, intercepted TLS): the request as the
// caller decided and edited it (hop-by-hop fields already stripped), then the upstream's
// interim (1xx) and final responses back, bodies streamed (http_relay.hpp).
#pragma once

#include <utility>  // first: Boost 1.74's asio/awaitable.hpp uses std::exchange without it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <cstdint>

#include "net/http_relay.hpp"

namespace paddock::net {

struct ExchangeOutcome {
  std::uint64_t request_bytes = 0;
  std::uint64_t response_bytes = 0;
  int status = 0;           // the final response's (0 when none arrived)
  bool keep_alive = false;  // both sides may send another request on these connections
  boost::system::error_code ec;
};

// `parser` has read the request's header from `client`; `client_keep_alive` is what the
// client asked for before its Connection field was stripped.
template <class Client, class Upstream>
boost::asio::awaitable<ExchangeOutcome> exchange(Client& client, boost::beast::flat_buffer& client_buffer,
                                                 Upstream& upstream, boost::beast::flat_buffer& upstream_buffer,
                                                 http::request_parser<http::empty_body>& parser,
                                                 bool client_keep_alive) {
  namespace asio = boost::asio;
  ExchangeOutcome out;
  auto& ec = out.ec;
  auto& request = parser.get();
  // The proxy answers Expect itself: the request was decided before its body was asked for.
  if (boost::beast::iequals(request[http::field::expect], "100-continue")) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    co_await asio::async_write(client, asio::buffer(kContinue), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return out;
  }
  request.erase(http::field::expect);
  request.keep_alive(true);

  http::request_parser<http::buffer_body> request_body(std::move(parser));
  out.request_bytes = co_await relay_message(upstream, client, client_buffer, request_body, ec);
  if (ec) co_return out;

  for (;;) {  // 1xx interim responses pass through before the final one
    http::response_parser<http::buffer_body> response;
    response.body_limit(kNoBodyLimit);
    response.header_limit(64 * 1024);
    if (request_body.get().method() == http::verb::head) response.skip(true);
    co_await http::async_read_header(upstream, upstream_buffer, response,
                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return out;
    const unsigned status = response.get().result_int();
    const bool interim = status >= 100 && status < 200 && status != 101;
    const bool upstream_keep_alive = response.get().keep_alive() && !response.need_eof();
    strip_hop_by_hop(response.get().base());
    response.get().keep_alive(client_keep_alive && upstream_keep_alive);
    out.response_bytes += co_await relay_message(client, upstream, upstream_buffer, response, ec);
    if (ec) co_return out;
    if (interim) continue;
    out.status = static_cast<int>(status);
    out.keep_alive = client_keep_alive && upstream_keep_alive;
    co_return out;
  }
}

}  // namespace paddock::net
