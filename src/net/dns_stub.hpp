// The sandbox's only resolver (SECURITY-BATTERY row 40): a UDP socket in the sandbox's network
// namespace, served by the supervisor. A name gets A/AAAA answers (the addresses the supervisor
// resolved, filtered like a connection's) only when the policy would let the sandbox connect
// to it on 443 or 80; every other name gets REFUSED, and no query leaves the supervisor before
// its name is allowed. Every query becomes a "dns" event.
#pragma once

#include <boost/asio/ip/udp.hpp>

#include <memory>

#include "net/proxy_context.hpp"

namespace paddock::net {

class DnsStub {
 public:
  DnsStub(std::shared_ptr<ProxyContext> context, boost::asio::ip::udp::socket socket);
  void start();
  void stop();

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace paddock::net
