// The sandbox's egress proxy (DESIGN.md, "Network"): it serves, on the supervisor's event loop,
// the TCP listening socket and the UDP socket that the sandbox's init made inside the sandbox's
// network namespace (its only way out). One port speaks the HTTP forward proxy, CONNECT and
// SOCKS5 (session.hpp); the UDP socket is the DNS stub (dns_stub.hpp).
#pragma once

#include <boost/asio/io_context.hpp>

#include <memory>

#include "common/unique_fd.hpp"
#include "net/proxy_context.hpp"
#include "net/resolver.hpp"

namespace paddock::net {

class Proxy {
 public:
  // `resolver`: nullptr for the host's (tests substitute their own).
  Proxy(boost::asio::io_context& io, policy::PolicyEngine& engine, ProxyReport report,
        std::unique_ptr<Resolver> resolver = nullptr, Interception interception = {});
  ~Proxy();
  Proxy(const Proxy&) = delete;
  Proxy& operator=(const Proxy&) = delete;

  // Starts serving; either fd may be empty (no DNS stub, say). Raises the supervisor's open
  // file limit to its hard limit, since every connection holds two descriptors.
  void serve(UniqueFd tcp_listener, UniqueFd dns_socket);
  // Stops accepting; open connections end with the event loop.
  void stop();

 private:
  struct Servers;
  boost::asio::io_context& io_;
  std::shared_ptr<ProxyContext> context_;
  std::unique_ptr<Servers> servers_;
};

}  // namespace paddock::net
