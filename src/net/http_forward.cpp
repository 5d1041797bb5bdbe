// The forward proxy's half of a session: absolute-form requests ("GET http://host/path"),
// filtered exactly like CONNECT (SECURITY-BATTERY row 37), then each request by HttpRequest,
// relayed to the upstream in origin-form with keep-alive on both sides.
#include <utility>  // first: Boost 1.74's asio/awaitable.hpp uses std::exchange without it

#include <fmt/core.h>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "net/http_relay.hpp"
#include "net/session.hpp"
#include "policy/denials.hpp"

namespace paddock::net {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

struct AbsoluteTarget {
  Authority authority;
  RequestTarget target;
};

// "http://host[:port][/path][?query]" (the scheme case-insensitive); nullopt otherwise.
std::optional<AbsoluteTarget> parse_absolute(std::string_view target) {
  constexpr std::string_view kScheme = "http://";
  if (target.size() < kScheme.size() ||
      !boost::beast::iequals(boost::beast::string_view(target.data(), kScheme.size()), "http://"))
    return std::nullopt;
  target.remove_prefix(kScheme.size());
  const auto end = target.find_first_of("/?#");
  auto authority = parse_authority(target.substr(0, end), 80);
  if (!authority) return std::nullopt;
  std::string rest(end == std::string_view::npos ? "/" : target.substr(end));
  if (rest.front() != '/') rest.insert(0, "/");
  auto split = split_origin_form(rest);
  if (!split) return std::nullopt;
  return AbsoluteTarget{std::move(*authority), std::move(*split)};
}

// The Host field for an authority: the port only when it is not the scheme's default.
std::string host_field(const Authority& authority, std::uint16_t default_port) {
  return authority.port != default_port ? authority_text(authority.host, authority.port) : host_text(authority.host);
}

}  // namespace

asio::awaitable<bool> Session::forward(http::request_parser<http::empty_body>& parser) {
  const auto started = std::chrono::steady_clock::now();
  auto& request = parser.get();
  const std::string target(request.target());
  const auto absolute = parse_absolute(target);
  if (!absolute) {
    const bool https =
        target.size() >= 8 && boost::beast::iequals(boost::beast::string_view(target.data(), 8), "https://");
    co_await respond(400, https ? "paddock: " + target + ": send https requests through CONNECT"
                                : "paddock: this is the sandbox's egress proxy: send absolute-form requests "
                                  "(http://host/path) or CONNECT host:port");
    co_return false;
  }
  const Authority& authority = absolute->authority;
  if (auto mismatch =
          host_field_mismatch(request, std::string(request.method_string()) + " " + target, authority, 80)) {
    co_await respond(403, *mismatch);
    co_return false;
  }

  // One decision per upstream connection: a new authority means a new connection.
  if (upstream_ && (upstream_->authority.host != authority.host || upstream_->authority.port != authority.port)) {
    close_upstream(*upstream_, "");
    upstream_.reset();
  }
  if (!upstream_) {
    auto upstream = std::make_unique<Upstream>(client_.get_executor());
    const auto refusal = co_await open_upstream(authority, "http", *upstream);
    if (refusal) {
      co_await respond(refusal->http_status, refusal->message, refusal->policies);
      co_return false;
    }
    upstream_ = std::move(upstream);
  }
  Upstream& upstream = *upstream_;

  const bool client_keep_alive = request.keep_alive();
  strip_hop_by_hop(request.base());
  audit::HttpRequest event;
  event.connection = upstream.connection;
  if (auto refusal = admit_request(request, authority, "http", absolute->target, event)) {
    co_await respond(refusal->http_status, refusal->message, refusal->policies);
    co_return false;
  }
  request.target(absolute->target.text());
  request.set(http::field::host, host_field(authority, 80));

  auto outcome = co_await exchange(client_, buffer_, upstream.socket, upstream.buffer, parser, client_keep_alive);
  upstream.bytes_up += outcome.request_bytes;
  upstream.bytes_down += outcome.response_bytes;
  const auto ec = outcome.ec;
  const bool keep_alive = outcome.keep_alive && !ec;
  const bool nothing_sent = outcome.response_bytes == 0;
  record_request(std::move(event), outcome, started);
  if (ec || !keep_alive) {
    if (ec && nothing_sent) co_await respond(502, "paddock: the upstream failed: " + ec.message());
    close_upstream(upstream, ec ? ec.message() : "");
    upstream_.reset();
    if (!ec) {
      boost::system::error_code ignored;
      client_.shutdown(tcp::socket::shutdown_send, ignored);
    }
    co_return false;
  }
  co_return true;
}

}  // namespace paddock::net
