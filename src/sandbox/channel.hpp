// The supervisor and the sandbox's init talk over one SOCK_SEQPACKET socketpair: one message per
// step of the start-up handshake, with a file descriptor attached where one changes hands.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "common/unique_fd.hpp"

namespace paddock::sandbox {

enum class MessageType : unsigned char {
  go = 1,         // supervisor -> init: id maps written; set up the sandbox
  host_ready,     // supervisor -> init: placeholders made, cgroups joined; value: RLIMIT_NPROC or 0
  error,          // init -> supervisor: set-up failed; text says why
  terminal,       // init -> supervisor: the PTY master (attached fd)
  egress_proxy,   // init -> supervisor: the listening TCP socket of the proxy (attached fd)
  egress_dns,     // init -> supervisor: the UDP socket of the DNS stub (attached fd)
  exec_listener,  // init -> supervisor: the seccomp listener for exec notifications (attached fd)
  file_listener,  // init -> supervisor: the fanotify group observing files (attached fd)
  mcp_listener,   // init -> supervisor: the listening TCP socket of the MCP decisions (attached fd)
  ready,          // init -> supervisor: sandbox complete, about to start the command
  exec_ok,        // init -> supervisor: the command is running
  exec_failed,    // init -> supervisor: execve failed; value is errno, text the command

  // supervisor -> watchdog (watchdog.hpp)
  watch_cgroup,       // text: a cgroup directory
  watch_placeholder,  // text: "<d|f> <dev> <ino> <path>"
  watch_process,      // attached fd: a pidfd of the sandbox's init
  dismiss,            // the supervisor cleaned up itself
};

struct Message {
  MessageType type = MessageType::error;
  int value = 0;
  std::string text;
  UniqueFd fd;
};

class Channel {
 public:
  // A connected pair: first for the supervisor, second for the child.
  static std::pair<Channel, Channel> pair();

  Channel() = default;
  explicit Channel(UniqueFd fd) : fd_(std::move(fd)) {}

  void send(MessageType type, int value = 0, const std::string& text = {}, int attach_fd = -1) const;
  // send(), except that a peer that has closed its end (EPIPE, ECONNRESET) is no error: false.
  // A child whose set-up failed has sent its error and exited; receive() still returns it.
  bool send_unless_closed(MessageType type, int value = 0) const;
  // nullopt when the other side closed its end (it exited or died).
  std::optional<Message> receive() const;

  int fd() const { return fd_.get(); }
  void close() { fd_.reset(); }

 private:
  // One message; 0, or the errno of sendmsg.
  int transmit(MessageType type, int value, const std::string& text, int attach_fd) const;

  UniqueFd fd_;
};

}  // namespace paddock::sandbox
