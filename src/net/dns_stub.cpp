#include "net/dns_stub.hpp"

#include <utility>  // first: Boost 1.74's asio/awaitable.hpp uses std::exchange without it

#include <fmt/core.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <array>

#include "net/address.hpp"
#include "net/dns_message.hpp"
#include "policy/denials.hpp"

namespace paddock::net {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;

// The ports a name is asked about: a name is resolvable when a connection to one of them is.
constexpr std::uint16_t kAskedPorts[] = {443, 80};

}  // namespace

struct DnsStub::State : std::enable_shared_from_this<DnsStub::State> {
  State(std::shared_ptr<ProxyContext> c, udp::socket s) : context(std::move(c)), socket(std::move(s)) {}

  asio::awaitable<void> receive_loop() {
    auto self = shared_from_this();
    std::array<char, 4096> packet;
    for (;;) {
      udp::endpoint sender;
      boost::system::error_code ec;
      const std::size_t n = co_await socket.async_receive_from(asio::buffer(packet), sender,
                                                               asio::redirect_error(asio::use_awaitable, ec));
      if (ec == asio::error::operation_aborted || !socket.is_open()) co_return;
      if (ec) continue;
      asio::co_spawn(socket.get_executor(), answer(std::string(packet.data(), n), sender), asio::detached);
    }
  }

  asio::awaitable<void> answer(std::string packet, udp::endpoint sender) {
    auto self = shared_from_this();
    const auto query = dns::parse_query(packet);
    std::string reply;
    if (!query) {
      if (const auto id = dns::packet_id(packet)) reply = dns::format_error(*id);
    } else {
      reply = co_await decide(*query);
    }
    if (reply.empty()) co_return;
    boost::system::error_code ec;
    co_await socket.async_send_to(asio::buffer(reply), sender, asio::redirect_error(asio::use_awaitable, ec));
  }

  asio::awaitable<std::string> decide(const dns::Query& query) {
    audit::Dns event;
    event.name = query.name;
    event.type = dns::type_name(query.type);
    const auto host = canonical_host(query.name);

    policy::Verdict verdict;
    std::uint16_t port = 0;
    if (host)
      for (const auto asked : kAskedPorts) {
        verdict = context->engine.connect({*host, asked, std::nullopt, "dns"});
        port = asked;
        if (verdict.allowed) break;
      }
    if (!host || !verdict.allowed) {
      event.decision = to_decision(verdict, host ? "" : "not a valid host name");
      event.decision.allowed = false;
      if (host)
        report(policy::denial_line(fmt::format("DNS {} {}", event.type, query.name), verdict,
                                   "paddock allow host " + *host));
      context->report.events.record({now_ns(), std::move(event)});
      co_return dns::response(query, dns::Rcode::refused);
    }

    std::vector<asio::ip::address> answers;  // of the question's family
    const bool want_v4 = query.type == static_cast<std::uint16_t>(dns::Type::a);
    const bool want_v6 = query.type == static_cast<std::uint16_t>(dns::Type::aaaa);
    if (want_v4 || want_v6) {
      auto resolution = co_await context->resolver->resolve(*host);
      if (resolution.addresses.empty()) {
        event.decision = to_decision(verdict, resolution.error);
        context->report.events.record({now_ns(), std::move(event)});
        co_return dns::response(query, dns::Rcode::nxdomain);
      }
      auto outcome = context->gate.check_addresses({*host, port, "dns"}, resolution.addresses);
      for (const auto& endpoint : outcome.endpoints)
        if (endpoint.address().is_v4() == want_v4) answers.push_back(endpoint.address());
      if (!outcome.allowed) {
        event.decision = to_decision(outcome.verdict, outcome.reason);
        event.decision.allowed = false;
        report(policy::denial_line(fmt::format("DNS {} {} ({})", event.type, query.name, outcome.reason),
                                   outcome.verdict, "paddock allow host " + outcome.ip));
        context->report.events.record({now_ns(), std::move(event)});
        co_return dns::response(query, dns::Rcode::refused);
      }
      verdict = std::move(outcome.verdict);
    }
    for (const auto& a : answers) event.answers.push_back(a.to_string());
    event.decision = to_decision(verdict);
    context->report.events.record({now_ns(), std::move(event)});
    co_return dns::response(query, dns::Rcode::noerror, answers);
  }

  void report(const std::string& line) {
    if (context->report.denied) context->report.denied(line);
  }

  std::shared_ptr<ProxyContext> context;
  udp::socket socket;
};

DnsStub::DnsStub(std::shared_ptr<ProxyContext> context, udp::socket socket)
    : state_(std::make_shared<State>(std::move(context), std::move(socket))) {}

void DnsStub::start() {
  asio::co_spawn(state_->socket.get_executor(), state_->receive_loop(), asio::detached);
}

void DnsStub::stop() {
  boost::system::error_code ignored;
  state_->socket.close(ignored);
}

}  // namespace paddock::net
