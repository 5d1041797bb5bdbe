// One client connection to the proxy's port. The first byte tells the protocol: 0x05 is a
// SOCKS5 greeting, anything else an HTTP request (CONNECT, or an absolute-form request for the
// forward proxy). Every upstream connection it opens gets its one NetworkConnect decision
// (connect_gate.hpp) and its events (net.connect, net.close, http.request).
#pragma once

#include <utility>  // first: Boost 1.74's asio/awaitable.hpp uses std::exchange without it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "net/address.hpp"
#include "net/http_exchange.hpp"
#include "net/http_relay.hpp"
#include "net/proxy_context.hpp"
#include "net/socks5.hpp"

namespace paddock::net {

class Session {
 public:
  Session(std::shared_ptr<ProxyContext> context, boost::asio::ip::tcp::socket client);
  ~Session();
  boost::asio::awaitable<void> run();

 private:
  // An upstream connection this session opened, and what its net.close will report.
  struct Upstream {
    explicit Upstream(boost::asio::any_io_executor executor) : socket(std::move(executor)) {}
    boost::asio::ip::tcp::socket socket;
    Authority authority;
    std::uint64_t connection = 0;
    std::chrono::steady_clock::time_point opened;
    std::uint64_t bytes_up = 0, bytes_down = 0;
    boost::beast::flat_buffer buffer;  // what was read from it and not yet relayed
  };
  // Why an upstream could not be opened, in each protocol's terms.
  struct Refusal {
    unsigned http_status = 403;
    socks5::Reply socks_reply = socks5::Reply::not_allowed;
    std::string message;   // one line: the denial, or why the connection failed
    std::string policies;  // the deciding policy ids, comma-separated (X-Paddock-Policy)
  };

  boost::asio::awaitable<bool> read_at_least(std::size_t size);
  boost::asio::awaitable<void> serve_socks5();
  boost::asio::awaitable<void> serve_http();
  boost::asio::awaitable<void> serve_connect(const http::request<http::empty_body>& request);
  // One absolute-form request; false when the client connection must end.
  boost::asio::awaitable<bool> forward(http::request_parser<http::empty_body>& parser);

  // Decides and connects; the upstream on success, else the refusal (already reported).
  boost::asio::awaitable<std::optional<Refusal>> open_upstream(const Authority& authority, std::string protocol,
                                                               Upstream& upstream);
  void close_upstream(Upstream& upstream, std::string error);
  // Carries an opened upstream both ways (CONNECT and SOCKS5), intercepting TLS where the
  // interception rules say so, then closes it.
  boost::asio::awaitable<void> tunnel(Upstream& upstream);
  // TLS towards the client with a leaf for the decided host and towards the upstream with its
  // certificate verified, then each request decided and relayed (intercept.cpp).
  boost::asio::awaitable<void> intercept(Upstream& upstream);

  // One request read in the clear (plain HTTP or intercepted TLS, request_policy.cpp): its
  // HttpRequest decision, then HttpRewrite headers and granted secrets swapped in. nullopt when
  // it may go upstream; else the refusal (reported, and the event recorded).
  std::optional<Refusal> admit_request(http::request<http::empty_body>& request, const Authority& authority,
                                       std::string_view scheme, const RequestTarget& target, audit::HttpRequest& event);
  void record_request(audit::HttpRequest event, const ExchangeOutcome& outcome,
                      std::chrono::steady_clock::time_point started);
  // The denial line (already reported) when the message's Host field names another authority
  // than the one asked for (SECURITY-BATTERY row 38); nullopt when it matches or is absent.
  std::optional<std::string> host_field_mismatch(const http::fields& fields, std::string_view what,
                                                 const Authority& authority, std::uint16_t default_port);
  boost::asio::awaitable<void> respond(unsigned status, const std::string& body, const std::string& policies = {});
  void report_denial(const std::string& line);

  std::shared_ptr<ProxyContext> context_;
  boost::asio::ip::tcp::socket client_;
  boost::beast::flat_buffer buffer_;    // bytes read from the client and not yet consumed
  std::unique_ptr<Upstream> upstream_;  // the forward proxy's current upstream (keep-alive)
};

}  // namespace paddock::net
