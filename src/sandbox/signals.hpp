// The signals the supervisor handles: forwards to the sandbox, or uses itself (SIGCHLD,
// SIGWINCH). They stay blocked from the start of a run until the event loop's handlers exist,
// so one sent during set-up is forwarded once the command runs instead of killing the
// supervisor. The sandbox inherits the mask: its init keeps them blocked (it waits for them)
// and the command starts with none blocked.
#pragma once

#include <signal.h>

#include "common/error.hpp"

namespace paddock::sandbox {

inline constexpr int kHandledSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGCHLD, SIGWINCH};

class BlockedSignals {
public:
  BlockedSignals() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : kHandledSignals) sigaddset(&set, sig);
    if (::sigprocmask(SIG_BLOCK, &set, &saved_) != 0) throw SysError("sigprocmask");
  }
  ~BlockedSignals() { release(); }
  BlockedSignals(const BlockedSignals&) = delete;
  BlockedSignals& operator=(const BlockedSignals&) = delete;

  // Lets pending and future signals reach the handlers now in place.
  void release() const { ::sigprocmask(SIG_SETMASK, &saved_, nullptr); }

private:
  sigset_t saved_;
};

}  // namespace paddock::sandbox
