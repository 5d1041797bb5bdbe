#include "mcp/decision_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include <istream>

#include "common/error.hpp"

namespace paddock::mcp {

using nlohmann::json;
namespace asio = boost::asio;

json DecisionClient::ask(const json& request) {
  std::lock_guard lock(mutex_);
  if (!socket_.is_open()) {
    replies_.consume(replies_.size());  // what a broken connection left is no answer
    const auto colon = endpoint_.rfind(':');
    if (colon == std::string::npos) throw Error("the decision socket \"" + endpoint_ + "\" is not HOST:PORT");
    asio::ip::tcp::resolver resolver(io_);
    asio::connect(socket_, resolver.resolve(endpoint_.substr(0, colon), endpoint_.substr(colon + 1),
                                            asio::ip::resolver_base::numeric_host));
  }
  const std::string line = request.dump() + "\n";
  try {
    asio::write(socket_, asio::buffer(line));
    asio::read_until(socket_, replies_, '\n');
  } catch (...) {
    socket_.close();  // the next question reconnects
    throw;
  }
  std::istream in(&replies_);
  std::string reply;
  std::getline(in, reply);
  json answer = json::parse(reply);
  if (answer.contains("error")) throw Error("the supervisor refused the question: " + answer["error"].dump());
  return answer;
}

CallAnswer DecisionClient::call(const std::string& server, const std::string& tool, const json& arguments) {
  try {
    const json answer = ask({{"method", "tools/call"}, {"server", server}, {"tool", tool}, {"arguments", arguments}});
    return {answer.at("allowed").get<bool>(), answer.value("message", "")};
  } catch (const std::exception& e) {
    return {false, std::string("paddock: denied: the supervisor could not be asked (") + e.what() + ")"};
  }
}

std::set<std::string> DecisionClient::listed(const std::string& server, const std::vector<std::string>& tools) {
  try {
    const json answer = ask({{"method", "tools/list"}, {"server", server}, {"tools", tools}});
    return answer.at("listed").get<std::set<std::string>>();
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace paddock::mcp
