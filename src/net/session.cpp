#include "net/session.hpp"

#include <utility>  // first: Boost 1.74's asio/awaitable.hpp uses std::exchange without it

#include <fmt/core.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "net/socks5.hpp"
#include "net/tunnel.hpp"
#include "policy/denials.hpp"

namespace paddock::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;
constexpr auto use_awaitable_ec = [](boost::system::error_code& ec) {
  return asio::redirect_error(asio::use_awaitable, ec);
};

// Connects to the first of the pinned endpoints that answers within `timeout`.
asio::awaitable<boost::system::error_code> connect_pinned(tcp::socket& socket,
                                                          const std::vector<tcp::endpoint>& endpoints,
                                                          std::chrono::seconds timeout) {
  auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor, timeout);
  auto timed_out = std::make_shared<bool>(false);
  timer->async_wait([&socket, timed_out](boost::system::error_code ec) {
    if (ec) return;  // cancelled: the connect finished first
    *timed_out = true;
    boost::system::error_code ignored;
    socket.close(ignored);
  });
  boost::system::error_code ec;
  co_await asio::async_connect(socket, endpoints, use_awaitable_ec(ec));
  timer->cancel();
  if (*timed_out) ec = asio::error::timed_out;
  co_return ec;
}

}  // namespace

Session::Session(std::shared_ptr<ProxyContext> context, tcp::socket client)
    : context_(std::move(context)), client_(std::move(client)) {}

Session::~Session() {
  if (upstream_) close_upstream(*upstream_, "");
}

asio::awaitable<bool> Session::read_at_least(std::size_t size) {
  boost::system::error_code ec;
  while (buffer_.size() < size) {
    const std::size_t n = co_await client_.async_read_some(buffer_.prepare(4096), use_awaitable_ec(ec));
    if (ec) co_return false;
    buffer_.commit(n);
  }
  co_return true;
}

asio::awaitable<void> Session::run() {
  const bool readable = co_await read_at_least(1);
  if (!readable) co_return;
  if (static_cast<unsigned char>(buffered(buffer_)[0]) == socks5::kVersion) {
    co_await serve_socks5();
  } else {
    co_await serve_http();
  }
}

void Session::report_denial(const std::string& line) {
  if (context_->report.denied) context_->report.denied(line);
}

asio::awaitable<std::optional<Session::Refusal>> Session::open_upstream(const Authority& authority,
                                                                        std::string protocol, Upstream& upstream) {
  upstream.authority = authority;
  upstream.connection = context_->next_connection++;
  // A named target, not a temporary in the co_await expression: GCC 12 destroys a class
  // temporary there (an aggregate, a lambda turned std::function) twice. docs/contributing.md.
  const ConnectTarget target{authority.host, authority.port, protocol};
  auto outcome = co_await context_->gate.decide(target);

  audit::NetConnect event;
  event.connection = upstream.connection;
  event.protocol = protocol;
  event.host = authority.host;
  event.port = authority.port;
  event.ip = outcome.ip;
  event.decision = to_decision(outcome.verdict, outcome.reason);
  const std::string what = authority_text(authority.host, authority.port);

  if (!outcome.allowed) {
    Refusal refusal;
    refusal.policies = policy_ids(outcome.verdict);
    if (outcome.unresolved) {
      refusal.http_status = 502;
      refusal.socks_reply = socks5::Reply::host_unreachable;
      refusal.message = "paddock: " + outcome.reason;
    } else {
      // A special address refused: the allow command names the address, which is what a
      // policy must name; otherwise the host as asked.
      const bool by_address = !outcome.reason.empty();
      const std::string allow_target = by_address ? authority_text(outcome.ip, authority.port) : what;
      refusal.message =
          policy::denial_line(fmt::format("connect {}{}", what, by_address ? " (" + outcome.reason + ")" : ""),
                              outcome.verdict, "paddock allow host " + allow_target);
      report_denial(refusal.message);
    }
    event.decision.allowed = false;
    context_->report.events.record({now_ns(), std::move(event)});
    co_return refusal;
  }

  const auto ec = co_await connect_pinned(upstream.socket, outcome.endpoints, context_->connect_timeout);
  context_->report.events.record({now_ns(), event});
  upstream.opened = std::chrono::steady_clock::now();
  if (ec) {
    Refusal refusal;
    refusal.http_status = ec == asio::error::timed_out ? 504 : 502;
    refusal.socks_reply =
        ec == asio::error::connection_refused ? socks5::Reply::connection_refused : socks5::Reply::host_unreachable;
    refusal.message = fmt::format("paddock: could not connect to {} ({}): {}", what, outcome.ip, ec.message());
    close_upstream(upstream, ec.message());
    co_return refusal;
  }
  boost::system::error_code ignored;
  upstream.socket.set_option(tcp::no_delay(true), ignored);
  co_return std::nullopt;
}

void Session::close_upstream(Upstream& upstream, std::string error) {
  if (upstream.connection == 0) return;
  audit::NetClose event;
  event.connection = upstream.connection;
  event.bytes_up = upstream.bytes_up;
  event.bytes_down = upstream.bytes_down;
  event.duration_us = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - upstream.opened)
          .count());
  event.error = std::move(error);
  context_->report.events.record({now_ns(), std::move(event)});
  upstream.connection = 0;
  boost::system::error_code ignored;
  upstream.socket.close(ignored);
}

asio::awaitable<void> Session::respond(unsigned status, const std::string& body, const std::string& policies) {
  auto response = refusal_response(status, body, policies);
  boost::system::error_code ec;
  co_await http::async_write(client_, response, use_awaitable_ec(ec));
  client_.shutdown(tcp::socket::shutdown_send, ec);
}

asio::awaitable<void> Session::tunnel(Upstream& upstream) {
  const Authority decided = upstream.authority;
  if (context_->intercepts(decided.host, decided.port)) {
    co_await intercept(upstream);
    co_return;
  }
  // Named, not a lambda converted in the co_await expression (see open_upstream).
  const FirstBytesCheck check = [decided](const FirstBytesVerdict& first) {
    return first_bytes_refusal(decided, first);
  };
  auto result = co_await run_tunnel(client_, upstream.socket, std::string(buffered(buffer_)), check);
  buffer_.consume(buffer_.size());
  upstream.bytes_up = result.bytes_up;
  upstream.bytes_down = result.bytes_down;
  if (result.refused) report_denial("paddock: denied " + result.error);
  close_upstream(upstream, result.error);
}

std::optional<std::string> Session::host_field_mismatch(const http::fields& fields, std::string_view what,
                                                        const Authority& authority, std::uint16_t default_port) {
  const auto field = fields.find(http::field::host);
  if (field == fields.end()) return std::nullopt;
  const std::string value(field->value());
  const auto host = parse_authority(value, default_port);
  if (host && host->host == authority.host && host->port == authority.port) return std::nullopt;
  std::string line = fmt::format("paddock: denied {}: its Host field {} names another authority", what, value);
  report_denial(line);
  return line;
}

// ---- SOCKS5 -----------------------------------------------------------------------------

asio::awaitable<void> Session::serve_socks5() {
  boost::system::error_code ec;
  auto text = [this] { return buffered(buffer_); };

  socks5::Greeting greeting;
  while ((greeting = socks5::parse_greeting(text())).length == 0) {
    const bool more = co_await read_at_least(buffer_.size() + 1);
    if (!more) co_return;
  }
  buffer_.consume(greeting.length);
  if (!greeting.valid || !greeting.no_auth) {
    const char refuse[] = {static_cast<char>(socks5::kVersion), static_cast<char>(0xff)};
    co_await asio::async_write(client_, asio::buffer(refuse), use_awaitable_ec(ec));
    co_return;
  }
  const char accept[] = {static_cast<char>(socks5::kVersion), 0x00};
  co_await asio::async_write(client_, asio::buffer(accept), use_awaitable_ec(ec));
  if (ec) co_return;

  socks5::Request request;
  while ((request = socks5::parse_request(text())).length == 0) {
    const bool more = co_await read_at_least(buffer_.size() + 1);
    if (!more) co_return;
  }
  buffer_.consume(request.length);
  auto reply = [&](socks5::Reply code) -> asio::awaitable<void> {
    const std::string bytes = socks5::reply(code);
    boost::system::error_code ignored;
    co_await asio::async_write(client_, asio::buffer(bytes), use_awaitable_ec(ignored));
  };
  if (request.error) {
    co_await reply(*request.error);
    co_return;
  }
  auto host = canonical_host(request.host);
  if (!host || request.port == 0) {
    co_await reply(socks5::Reply::host_unreachable);
    co_return;
  }
  Upstream upstream(client_.get_executor());
  const Authority requested{*host, request.port};
  const auto refusal = co_await open_upstream(requested, "socks5", upstream);
  if (refusal) {
    co_await reply(refusal->socks_reply);
    co_return;
  }
  co_await reply(socks5::Reply::succeeded);
  co_await tunnel(upstream);
}

// ---- HTTP: CONNECT ----------------------------------------------------------------------

asio::awaitable<void> Session::serve_http() {
  for (;;) {
    http::request_parser<http::empty_body> parser;
    parser.header_limit(64 * 1024);
    parser.body_limit(kNoBodyLimit);
    boost::system::error_code ec;
    co_await http::async_read_header(client_, buffer_, parser, use_awaitable_ec(ec));
    if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset) co_return;
    if (ec) {
      co_await respond(400, "paddock: not an HTTP request the proxy understands (" + ec.message() + ")");
      co_return;
    }
    if (parser.get().method() == http::verb::connect) {
      co_await serve_connect(parser.get());
      co_return;
    }
    const bool again = co_await forward(parser);
    if (!again) co_return;
  }
}

asio::awaitable<void> Session::serve_connect(const http::request<http::empty_body>& request) {
  const std::string target(request.target());
  const auto authority = parse_authority(target, 0);
  if (!authority || target.find(':') == std::string::npos) {
    co_await respond(400, "paddock: CONNECT " + target + ": expected host:port");
    co_return;
  }
  // A Host field, when sent, must name the same authority (SECURITY-BATTERY row 38).
  if (auto mismatch = host_field_mismatch(request, "CONNECT " + target, *authority, authority->port)) {
    co_await respond(403, *mismatch);
    co_return;
  }
  Upstream upstream(client_.get_executor());
  const auto refusal = co_await open_upstream(*authority, "connect", upstream);
  if (refusal) {
    co_await respond(refusal->http_status, refusal->message, refusal->policies);
    co_return;
  }
  static constexpr std::string_view kEstablished = "HTTP/1.1 200 Connection established\r\n\r\n";
  boost::system::error_code ec;
  co_await asio::async_write(client_, asio::buffer(kEstablished), use_awaitable_ec(ec));
  if (ec) {
    close_upstream(upstream, ec.message());
    co_return;
  }
  co_await tunnel(upstream);
}

}  // namespace paddock::net
