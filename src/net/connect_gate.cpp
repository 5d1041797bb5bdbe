#include "net/connect_gate.hpp"

#include <fmt/core.h>

#include "net/address.hpp"

namespace paddock::net {
namespace {

namespace ip = boost::asio::ip;

cedar::IpAddr to_cedar(const ip::address& address) {
  cedar::IpAddr out;
  if (address.is_v4()) {
    const auto bytes = address.to_v4().to_bytes();
    out.v4 = true;
    std::copy(bytes.begin(), bytes.end(), out.bytes.begin());
    out.prefix = 32;
  } else {
    const auto bytes = address.to_v6().to_bytes();
    out.v4 = false;
    std::copy(bytes.begin(), bytes.end(), out.bytes.begin());
    out.prefix = 128;
  }
  return out;
}

}  // namespace

ConnectOutcome ConnectGate::check_addresses(const ConnectTarget& target, const std::vector<ip::address>& addresses) {
  ConnectOutcome out;
  bool have_denial = false;
  for (const auto& address : addresses) {
    const auto cedar_ip = to_cedar(address);
    auto verdict = engine_.connect({target.host, target.port, cedar_ip, target.protocol});
    std::string reason;
    if (verdict.allowed) {
      if (const auto range = special_range(address)) {
        const std::string literal = address.to_string();
        verdict = engine_.connect({literal, target.port, cedar_ip, target.protocol, /*named_only=*/true});
        if (!verdict.allowed)
          reason = fmt::format("{} resolves to {}, a {} address, which only a policy naming {} allows", target.host,
                               literal, *range, authority_text(literal, target.port));
      }
    }
    if (verdict.allowed) {
      if (out.endpoints.empty()) {
        out.verdict = std::move(verdict);
        out.ip = address.to_string();
      }
      out.endpoints.emplace_back(address, target.port);
    } else if (!have_denial) {
      have_denial = true;
      out.verdict = std::move(verdict);
      out.reason = std::move(reason);
      out.ip = address.to_string();
    }
  }
  out.allowed = !out.endpoints.empty();
  if (out.allowed) out.reason.clear();
  return out;
}

boost::asio::awaitable<ConnectOutcome> ConnectGate::decide(ConnectTarget target) {
  if (const auto literal = parse_ip_literal(target.host)) co_return check_addresses(target, {*literal});

  auto named = engine_.connect({target.host, target.port, std::nullopt, target.protocol});
  if (!named.allowed) {
    ConnectOutcome out;
    out.verdict = std::move(named);
    co_return out;
  }
  auto resolution = co_await resolver_.resolve(target.host);
  if (resolution.addresses.empty()) {
    ConnectOutcome out;
    out.verdict = std::move(named);
    out.verdict.allowed = false;
    out.reason = resolution.error;
    out.unresolved = true;
    co_return out;
  }
  co_return check_addresses(target, resolution.addresses);
}

}  // namespace paddock::net
