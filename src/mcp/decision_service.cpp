#include "mcp/decision_service.hpp"

#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include <nlohmann/json.hpp>

#include <string>

#include "mcp/decision_protocol.hpp"

namespace paddock::mcp {

namespace asio = boost::asio;
using asio::ip::tcp;

struct DecisionService::Connection {
  explicit Connection(tcp::socket s) : socket(std::move(s)) {}
  tcp::socket socket;
  std::string buffer;  // bytes read and not yet answered
  std::string reply;
};

DecisionService::DecisionService(asio::io_context& io, UniqueFd listener, McpDecisions decisions)
    : acceptor_(io, tcp::v4(), listener.release()), decisions_(std::move(decisions)) {
  accept();
}

void DecisionService::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  for (auto& weak : connections_)
    if (auto connection = weak.lock()) connection->socket.close(ignored);
  connections_.clear();
}

void DecisionService::accept() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      auto connection = std::make_shared<Connection>(std::move(socket));
      connections_.remove_if([](const auto& weak) { return weak.expired(); });
      connections_.push_back(connection);
      read(connection);
    }
    accept();
  });
}

void DecisionService::read(const std::shared_ptr<Connection>& connection) {
  asio::async_read_until(
      connection->socket, asio::dynamic_buffer(connection->buffer, kMaxRequestBytes), '\n',
      [this, connection](const boost::system::error_code& ec, std::size_t n) {
        if (ec == asio::error::not_found) {
          // Longer than a request may be: refused, and the connection ends.
          connection->reply =
              nlohmann::json{{"error", "a request longer than " + std::to_string(kMaxRequestBytes) + " bytes"}}.dump() +
              "\n";
          asio::async_write(connection->socket, asio::buffer(connection->reply),
                            [connection](const boost::system::error_code&, std::size_t) {
                              boost::system::error_code ignored;
                              connection->socket.close(ignored);
                            });
          return;
        }
        if (ec) return;
        connection->reply = decisions_.answer(std::string_view(connection->buffer).substr(0, n - 1)) + "\n";
        connection->buffer.erase(0, n);
        asio::async_write(connection->socket, asio::buffer(connection->reply),
                          [this, connection](const boost::system::error_code& write_ec, std::size_t) {
                            if (!write_ec) read(connection);
                          });
      });
}

}  // namespace paddock::mcp
