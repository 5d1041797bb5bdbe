// The sandbox's init as the supervisor sees it: signalled, waited for, and killed and reaped if
// still running when the supervisor gives up on it.
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <cerrno>
#include <optional>

namespace paddock::sandbox {

class InitProcess {
 public:
  explicit InitProcess(pid_t pid) : pid_(pid) {}
  InitProcess(const InitProcess&) = delete;
  InitProcess& operator=(const InitProcess&) = delete;
  ~InitProcess() {
    if (!status_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }

  pid_t pid() const { return pid_; }
  void signal(int sig) const { ::kill(pid_, sig); }

  // The wait status once it exited, without blocking.
  std::optional<int> try_wait() {
    if (!status_) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) status_ = status;
    }
    return status_;
  }

  int wait() {
    while (!status_) {
      int status = 0;
      if (::waitpid(pid_, &status, 0) == pid_)
        status_ = status;
      else if (errno != EINTR)
        status_ = 0;
    }
    return *status_;
  }

 private:
  pid_t pid_;
  std::optional<int> status_;
};

}  // namespace paddock::sandbox
