// The interposer's Decider: asks the supervisor over the MCP decision socket
// (decision_protocol.hpp). It fails closed: when the supervisor cannot be asked, every call is
// refused and no tool is listed.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/streambuf.hpp>

#include <mutex>
#include <string>

#include "mcp/decider.hpp"

namespace paddock::mcp {

class DecisionClient : public Decider {
 public:
  // `endpoint`: "127.0.0.1:PORT" (PADDOCK_MCP). Connects at the first question.
  explicit DecisionClient(std::string endpoint) : endpoint_(std::move(endpoint)) {}

  CallAnswer call(const std::string& server, const std::string& tool, const nlohmann::json& arguments) override;
  std::set<std::string> listed(const std::string& server, const std::vector<std::string>& tools) override;

 private:
  // One request and its reply; throws boost::system::system_error or Error.
  nlohmann::json ask(const nlohmann::json& request);

  std::string endpoint_;
  std::mutex mutex_;  // both directions of the interposer ask
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_{io_};
  boost::asio::streambuf replies_;
};

}  // namespace paddock::mcp
