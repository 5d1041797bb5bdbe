// Relaying one HTTP/1.1 message between two streams without holding its body: header as the
// caller edited it, then the body in chunks as it arrives (Content-Length, chunked, or
// close-delimited), after Beast's relay example. A template over the stream types, so plain
// TCP and intercepted TLS connections share it.
#pragma once

#include <utility>  // first: Boost 1.74's asio/awaitable.hpp uses std::exchange without it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace paddock::net {

namespace http = boost::beast::http;

// The proxy streams bodies, so it sets no limit; not boost::none, because Boost 1.74's parser
// compares `len_ > body_limit_` and an empty optional is less than every Content-Length.
inline constexpr std::uint64_t kNoBodyLimit = std::numeric_limits<std::uint64_t>::max();

// The bytes a buffer holds, as text.
inline std::string_view buffered(const boost::beast::flat_buffer& buffer) {
  const auto data = buffer.data();
  return {static_cast<const char*>(data.data()), data.size()};
}

// Removes the hop-by-hop fields (RFC 9110 section 7.6.1: Connection and the fields it names,
// Keep-Alive, Proxy-*, TE, Trailer, Upgrade) before a message crosses the proxy.
void strip_hop_by_hop(http::fields& fields);

// The fields as the policy sees them (context.headers): names lower-case, in order.
std::vector<std::pair<std::string, std::string>> policy_headers(const http::fields& fields);

// A request target split for the policy: "/path?query" -> "/path", "query".
struct RequestTarget {
  std::string path;   // "/..." without the query
  std::string query;  // without "?"
  std::string text() const { return query.empty() ? path : path + "?" + query; }
};
// An origin-form target ("/path?query"); nullopt for any other form.
std::optional<RequestTarget> split_origin_form(std::string_view target);

// The proxy's own answer (a refusal or an error): text body, the deciding policies in
// X-Paddock-Policy, and the connection closed after it.
http::response<http::string_body> refusal_response(unsigned status, const std::string& body,
                                                   const std::string& policies);

// Writes the message `parser` has read the header of (edited by the caller) to `out`, reading
// its body from `in` through `buffer`. Returns the bytes written; `ec` tells how it ended.
template <class Out, class In, bool isRequest>
boost::asio::awaitable<std::uint64_t> relay_message(Out& out, In& in, boost::beast::flat_buffer& buffer,
                                                    http::parser<isRequest, http::buffer_body>& parser,
                                                    boost::system::error_code& ec) {
  namespace asio = boost::asio;
  std::array<char, 16 * 1024> chunk;
  http::serializer<isRequest, http::buffer_body> serializer{parser.get()};
  std::uint64_t written = 0;
  do {
    auto& body = parser.get().body();
    if (!parser.is_done()) {
      body.data = chunk.data();
      body.size = chunk.size();
      co_await http::async_read(in, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      if (ec == http::error::need_buffer) ec = {};
      if (ec) co_return written;
      body.size = chunk.size() - body.size;
      body.data = chunk.data();
      body.more = !parser.is_done();
    } else {
      // The body is complete (or there is none): buffer_body's `more` defaults to true, and
      // left so the serializer would wait for data forever.
      body.data = nullptr;
      body.size = 0;
      body.more = false;
    }
    written += co_await http::async_write(out, serializer, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == http::error::need_buffer) ec = {};
    if (ec) co_return written;
  } while (!parser.is_done() || !serializer.is_done());
  co_return written;
}

}  // namespace paddock::net
