// The supervisor's control socket, first use: the live event stream (issue 6). A Unix socket in
// the run's directory (0700, outside every sandbox); each client gets a hello line, then every
// record the audit writer commits, as the newline-delimited JSON of audit.jsonl. `paddock audit
// tail -f` reads it, and so will the control UI.
//
// The writer thread publishes; the supervisor's event loop serves. A record committed before a
// client's hello is on disk already, so a client that reads the file after the hello and skips
// sequence numbers it has seen misses nothing.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace paddock::control {

// The socket's name in the run's directory.
inline constexpr std::string_view kControlSocket = "control.sock";

// The first line a client reads: {"run":"<id>","stream":"paddock-audit/1"}.
std::string hello_line(std::string_view run_id);

class EventStream {
 public:
  EventStream() = default;
  // The run whose records it streams (named in the hello line); set before attach().
  void set_run_id(std::string run_id) { run_id_ = std::move(run_id); }
  ~EventStream() { detach(); }

  // Serves `socket_path` on `io` from now on. Throws Error when the socket cannot be made.
  void attach(boost::asio::io_context& io, const std::string& socket_path);
  // Stops serving and closes every client; call it before the event loop is destroyed.
  void detach();

  // Any thread: hands committed lines to every client (dropped when nothing is attached).
  void publish(std::string_view lines);

 private:
  struct Client;
  void accept();
  void send(const std::shared_ptr<const std::string>& lines);
  void write_next(const std::shared_ptr<Client>& client);

  std::string run_id_;
  std::string socket_path_;
  std::mutex mutex_;  // guards io_ against publish() from the writer thread
  boost::asio::io_context* io_ = nullptr;
  std::unique_ptr<boost::asio::local::stream_protocol::acceptor> acceptor_;
  std::list<std::shared_ptr<Client>> clients_;  // used on the event loop only
};

}  // namespace paddock::control
