// The NetworkConnect decision of one connection (DESIGN.md, "Network"), made before any byte
// goes upstream, in two steps:
//  1. the name as the client asked for it (never resolved before it is allowed: no DNS
//     exfiltration through the proxy);
//  2. every address it resolves to, asked again with `context.ip`; a loopback, private,
//     link-local or metadata address is outside Host::"*", so it passes only when a policy
//     names the address itself (rebinding an allowed name to 127.0.0.1 fails here).
// The addresses that pass are pinned: the proxy connects to those and nothing else.
#pragma once

#include <utility>  // first: Boost 1.74's asio/awaitable.hpp uses std::exchange without it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "net/resolver.hpp"
#include "policy/engine.hpp"

namespace paddock::net {

struct ConnectTarget {
  std::string host;  // canonical (address.hpp)
  std::uint16_t port = 0;
  std::string protocol;  // "http", "connect", "socks5"
};

struct ConnectOutcome {
  bool allowed = false;
  std::vector<boost::asio::ip::tcp::endpoint> endpoints;  // allowed: the pinned addresses, in order
  policy::Verdict verdict;  // the verdict that decided (for a denial: the one that denied)
  std::string reason;       // why, when more than a verdict decided: "resolves to ... (loopback)"
  std::string ip;           // the pinned (or refused) address, "" when never resolved
  bool unresolved = false;  // the name was allowed but does not resolve (not a policy denial)
};

class ConnectGate {
 public:
  ConnectGate(policy::PolicyEngine& engine, Resolver& resolver) : engine_(engine), resolver_(resolver) {}

  boost::asio::awaitable<ConnectOutcome> decide(ConnectTarget target);

  // Step 2 alone, for addresses already known: which of them `target` may reach.
  ConnectOutcome check_addresses(const ConnectTarget& target, const std::vector<boost::asio::ip::address>& addresses);

 private:
  policy::PolicyEngine& engine_;
  Resolver& resolver_;
};

}  // namespace paddock::net
