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
  std::string path;   // "/..." without the query
  std::string query;  // without "?"
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
  AbsoluteTarget out{std::move(*authority), "/", ""};
  if (end != std::string_view::npos) {
    auto rest = target.substr(end);
    rest = rest.substr(0, rest.find('#'));
    const auto question = rest.find('?');
    out.path = std::string(rest.substr(0, question));
    if (out.path.empty()) out.path = "/";
    if (question != std::string_view::npos) out.query = std::string(rest.substr(question + 1));
  }
  return out;
}

// The Host field for an authority: the port only when it is not the scheme's default.
std::string host_field(const Authority& authority, std::uint16_t default_port) {
  return authority.port != default_port ? authority_text(authority.host, authority.port) : host_text(authority.host);
}

std::uint64_t elapsed_us(std::chrono::steady_clock::time_point since) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - since).count());
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
  const bool expects_continue = boost::beast::iequals(request[http::field::expect], "100-continue");
  request.erase(http::field::expect);

  audit::HttpRequest event;
  event.connection = upstream.connection;
  event.method = std::string(request.method_string());
  event.host = authority.host;
  event.port = authority.port;
  event.url = "http://" + authority_text(authority.host, authority.port) + absolute->path +
              (absolute->query.empty() ? "" : "?" + absolute->query);

  auto verdict = context_->engine.http_request(
      {authority.host, authority.port, event.method, absolute->path, absolute->query, "http", policy_headers(request)});
  event.decision = to_decision(verdict);
  if (!verdict.allowed) {
    const std::string line = policy::denial_line(
        fmt::format("{} {}", event.method, event.url), verdict,
        fmt::format("a policy permitting HttpRequest on Host::{}", policy::cedar_string(authority.host)));
    report_denial(line);
    event.status = 403;
    event.duration_us = elapsed_us(started);
    context_->report.events.record({now_ns(), std::move(event)});
    co_await respond(403, line, policy_ids(verdict));
    co_return false;
  }

  boost::system::error_code ec;
  if (expects_continue) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    co_await asio::async_write(client_, asio::buffer(kContinue), asio::redirect_error(asio::use_awaitable, ec));
  }
  request.target(absolute->path + (absolute->query.empty() ? "" : "?" + absolute->query));
  request.set(http::field::host, host_field(authority, 80));
  request.keep_alive(true);

  http::request_parser<http::buffer_body> request_body(std::move(parser));
  if (!ec) event.request_bytes = co_await relay_message(upstream.socket, client_, buffer_, request_body, ec);
  upstream.bytes_up += event.request_bytes;

  bool keep_alive = client_keep_alive && !ec;
  if (!ec) {
    // 1xx interim responses pass through before the final one.
    for (;;) {
      http::response_parser<http::buffer_body> response;
      response.body_limit(kNoBodyLimit);
      response.header_limit(64 * 1024);
      if (request_body.get().method() == http::verb::head) response.skip(true);
      co_await http::async_read_header(upstream.socket, upstream.buffer, response,
                                       asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      const unsigned status = response.get().result_int();
      const bool interim = status >= 100 && status < 200 && status != 101;
      const bool upstream_keep_alive = response.get().keep_alive() && !response.need_eof();
      strip_hop_by_hop(response.get().base());
      response.get().keep_alive(client_keep_alive && upstream_keep_alive);
      const auto written = co_await relay_message(client_, upstream.socket, upstream.buffer, response, ec);
      event.response_bytes += written;
      upstream.bytes_down += written;
      if (ec || interim) {
        if (ec) break;
        continue;
      }
      event.status = static_cast<int>(status);
      keep_alive = keep_alive && upstream_keep_alive;
      break;
    }
  }
  event.duration_us = elapsed_us(started);
  const bool nothing_sent = event.response_bytes == 0;
  context_->report.events.record({now_ns(), std::move(event)});
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
