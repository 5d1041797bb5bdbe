#include "sandbox/watchdog.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "common/error.hpp"
#include "sandbox/cgroups.hpp"
#include "sandbox/fds.hpp"

namespace paddock::sandbox {
namespace {

constexpr int kInitExitTimeoutMs = 5000;

[[noreturn]] void watch(const Channel& channel) {
  ::prctl(PR_SET_NAME, "paddock-watch", 0, 0, 0);
  // The terminal's job-control signals are meant for the command, not for the cleaner.
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE}) ::signal(sig, SIG_IGN);
  int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  for (int fd = 0; fd < 3 && null >= 0; ++fd) ::dup2(null, fd);

  std::vector<std::string> cgroup_dirs;
  std::vector<placeholders::Created> created;
  UniqueFd init;
  try {
    fds::close_all_except({channel.fd()});
    while (auto message = channel.receive()) {
      switch (message->type) {
        case MessageType::watch_cgroup:
          cgroup_dirs.push_back(message->text);
          break;
        case MessageType::watch_placeholder:
          created.push_back(placeholders::decode(message->text));
          break;
        case MessageType::watch_process:
          init = std::move(message->fd);
          break;
        case MessageType::dismiss:
          ::_exit(0);
        default:
          break;
      }
    }
  } catch (const Error&) {
    // The supervisor is gone or broken; clean up what is known.
  }
  if (init) {
    pollfd pfd{init.get(), POLLIN, 0};
    ::poll(&pfd, 1, kInitExitTimeoutMs);
  }
  cgroups::kill_and_remove(cgroup_dirs);
  for (const auto& c : created) placeholders::remove(c);
  ::_exit(0);
}

}  // namespace

Watchdog Watchdog::start() {
  auto [ours, theirs] = Channel::pair();
  pid_t pid = ::fork();
  if (pid < 0) throw SysError("fork the watchdog");
  if (pid == 0) {
    ours.close();
    watch(theirs);
  }
  Watchdog w;
  w.pid_ = pid;
  w.channel_ = std::move(ours);
  return w;
}

void Watchdog::watch_cgroup(const std::string& directory) const {
  channel_.send(MessageType::watch_cgroup, 0, directory);
}

void Watchdog::watch_placeholder(const placeholders::Created& created) const {
  channel_.send(MessageType::watch_placeholder, 0, placeholders::encode(created));
}

void Watchdog::watch_process(int pidfd) const {
  channel_.send(MessageType::watch_process, 0, {}, pidfd);
}

void Watchdog::dismiss() noexcept {
  if (pid_ < 0) return;
  try {
    channel_.send(MessageType::dismiss);
  } catch (const Error&) {
  }
  channel_.close();
  // Not waited for: it exits on its own at once, and the supervisor is about to exit too.
  pid_ = -1;
}

}  // namespace paddock::sandbox
