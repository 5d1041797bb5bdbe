#include "control/event_stream.hpp"

#include <sys/un.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <fmt/core.h>

#include <cerrno>
#include <cstdio>
#include <deque>

#include "common/error.hpp"

namespace paddock::control {

namespace asio = boost::asio;
using Local = asio::local::stream_protocol;

// A client falls behind by this many batches at most; past it, it is dropped (the stream must
// never make the supervisor hold an unbounded backlog for a reader that stopped reading).
constexpr std::size_t kMaxBacklog = 1024;

struct EventStream::Client {
  explicit Client(Local::socket s) : socket(std::move(s)) {}
  Local::socket socket;
  std::deque<std::shared_ptr<const std::string>> pending;
  bool writing = false;
};

std::string hello_line(std::string_view run_id) {
  return "{\"run\":\"" + std::string(run_id) + "\",\"stream\":\"paddock-audit/1\"}\n";
}

void EventStream::attach(asio::io_context& io, const std::string& socket_path) {
  // The socket is bound and listening under a staging name, then renamed into place: a client
  // that sees `socket_path` exist can always connect (bound but not yet listening, it would be
  // refused with ECONNREFUSED).
  const std::string staging = socket_path + ".new";
  // sun_path holds 107 bytes and a NUL; Asio would throw its own exception past it.
  constexpr std::size_t kMaxPath = sizeof(sockaddr_un::sun_path) - 1;
  if (staging.size() > kMaxPath)
    throw Error(
        fmt::format("the control socket {} needs {} bytes (as {} while it is made), over the {} "
                    "of a Unix socket (a shorter XDG_STATE_HOME makes room)",
                    socket_path, staging.size(), staging, kMaxPath));
  ::unlink(staging.c_str());
  auto acceptor = std::make_unique<Local::acceptor>(io);
  boost::system::error_code ec;
  acceptor->open(Local(), ec);
  if (!ec) acceptor->bind(Local::endpoint(staging), ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (!ec && ::rename(staging.c_str(), socket_path.c_str()) != 0) ec.assign(errno, boost::system::system_category());
  if (ec) {
    ::unlink(staging.c_str());
    throw Error("the control socket " + socket_path + ": " + ec.message());
  }
  socket_path_ = socket_path;
  acceptor_ = std::move(acceptor);
  {
    std::lock_guard lock(mutex_);
    io_ = &io;
  }
  accept();
}

void EventStream::detach() {
  {
    std::lock_guard lock(mutex_);
    io_ = nullptr;
  }
  for (auto& client : clients_) {
    boost::system::error_code ignored;
    client->socket.close(ignored);
  }
  clients_.clear();
  if (acceptor_) {
    acceptor_.reset();
    ::unlink(socket_path_.c_str());
  }
}

void EventStream::publish(std::string_view lines) {
  auto shared = std::make_shared<const std::string>(lines);
  std::lock_guard lock(mutex_);
  if (io_ != nullptr) asio::post(*io_, [this, shared] { send(shared); });
}

void EventStream::accept() {
  acceptor_->async_accept([this](boost::system::error_code ec, Local::socket socket) {
    if (ec) return;  // the acceptor was closed
    auto client = std::make_shared<Client>(std::move(socket));
    clients_.push_back(client);
    client->pending.push_back(std::make_shared<const std::string>(hello_line(run_id_)));
    write_next(client);
    accept();
  });
}

void EventStream::send(const std::shared_ptr<const std::string>& lines) {
  for (auto it = clients_.begin(); it != clients_.end();) {
    auto& client = *it;
    if (client->pending.size() >= kMaxBacklog) {
      boost::system::error_code ignored;
      client->socket.close(ignored);
      it = clients_.erase(it);
      continue;
    }
    client->pending.push_back(lines);
    write_next(client);
    ++it;
  }
}

void EventStream::write_next(const std::shared_ptr<Client>& client) {
  if (client->writing || client->pending.empty()) return;
  client->writing = true;
  const auto lines = client->pending.front();
  asio::async_write(client->socket, asio::buffer(*lines),
                    [this, client, lines](boost::system::error_code ec, std::size_t) {
                      client->writing = false;
                      if (ec) {
                        clients_.remove(client);
                        return;
                      }
                      client->pending.pop_front();
                      write_next(client);
                    });
}

}  // namespace paddock::control
