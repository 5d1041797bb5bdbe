// Serves the MCP decision socket (decision_protocol.hpp) on the supervisor's event loop: each
// connection is one interposer, answered line by line by McpDecisions.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <list>
#include <memory>

#include "common/unique_fd.hpp"
#include "mcp/decisions.hpp"

namespace paddock::mcp {

class DecisionService {
 public:
  // `listener`: the listening socket the sandbox's init made.
  DecisionService(boost::asio::io_context& io, UniqueFd listener, McpDecisions decisions);
  ~DecisionService() { stop(); }
  DecisionService(const DecisionService&) = delete;
  DecisionService& operator=(const DecisionService&) = delete;

  // Stops accepting and closes every connection; call it before the event loop is destroyed.
  void stop();

 private:
  struct Connection;
  void accept();
  void read(const std::shared_ptr<Connection>& connection);

  boost::asio::ip::tcp::acceptor acceptor_;
  McpDecisions decisions_;
  std::list<std::weak_ptr<Connection>> connections_;
};

}  // namespace paddock::mcp
