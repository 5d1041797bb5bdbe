// Exec observation through seccomp user notification: every execve in the sandbox stops until
// the supervisor has read its path, argv and cwd and answered. The answer applies best-effort
// argv rules (a multi-threaded caller can change its argv after the check: DESIGN.md's threat
// model); which paths may run at all is enforced by the kernel layers, never here.
#pragma once

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <functional>
#include <string>
#include <vector>

#include "common/unique_fd.hpp"

namespace paddock::sandbox {

struct ExecEvent {
  pid_t pid = 0;        // as seen inside the sandbox
  pid_t ppid = 0;       // as seen inside the sandbox (0: outside it, i.e. the supervisor)
  std::string path;     // absolute, inside the sandbox
  std::vector<std::string> argv;
  std::string cwd;
  bool truncated = false;  // argv longer than the monitor reads (kMaxArgs, kMaxArgBytes)
};

class ExecMonitor {
public:
  // Returns true to let the exec proceed, false to fail it with EACCES.
  using Decide = std::function<bool(const ExecEvent&)>;

  static constexpr std::size_t kMaxArgs = 4096;
  static constexpr std::size_t kMaxArgBytes = 256 * 1024;

  ExecMonitor(boost::asio::io_context& io, UniqueFd listener, Decide decide);
  ExecMonitor(const ExecMonitor&) = delete;
  ExecMonitor& operator=(const ExecMonitor&) = delete;

  void start();

private:
  void wait();
  void handle_one();

  boost::asio::posix::stream_descriptor listener_;
  Decide decide_;
  std::vector<char> request_;
  std::vector<char> response_;
};

}  // namespace paddock::sandbox
