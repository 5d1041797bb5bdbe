// Name resolution for the proxy and the DNS stub: the supervisor resolves names (the sandbox
// has no resolver), and only after the policy allowed the name (SECURITY-BATTERY row 40).
// An interface so that tests can make a name resolve anywhere (rebinding to 127.0.0.1).
#pragma once

#include <utility>  // first: Boost 1.74's asio/awaitable.hpp uses std::exchange without it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>

#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

namespace paddock::net {

struct Resolution {
  std::vector<boost::asio::ip::address> addresses;  // in the resolver's order
  std::string error;                                // set when there are none
};

class Resolver {
 public:
  virtual ~Resolver() = default;
  virtual boost::asio::awaitable<Resolution> resolve(std::string name) = 0;
};

// The host's resolver (getaddrinfo on Asio's resolver thread), both families.
std::unique_ptr<Resolver> system_resolver(boost::asio::any_io_executor executor);

}  // namespace paddock::net
