#include "sandbox/supervisor.hpp"

#include <fmt/core.h>
#include <sched.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <functional>
#include <optional>

#include "common/error.hpp"
#include "common/log.hpp"
#include "sandbox/cgroups.hpp"
#include "sandbox/channel.hpp"
#include "sandbox/child.hpp"
#include "sandbox/init.hpp"
#include "sandbox/landlock.hpp"
#include "sandbox/pidns.hpp"
#include "sandbox/placeholders.hpp"
#include "sandbox/terminal.hpp"
#include "sandbox/userns.hpp"
#include "sandbox/watchdog.hpp"

namespace paddock::sandbox {
namespace {

namespace asio = boost::asio;

// The sandbox's init as seen from the supervisor; killed and reaped if still running when the
// supervisor gives up on it.
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

// Signals the supervisor handles (forwards, or uses itself). They stay blocked from the start of
// a run until the event loop's handlers exist, so one sent during set-up is forwarded once the
// command runs instead of killing the supervisor. The sandbox inherits the mask; its init keeps
// them blocked (it waits for them) and the command starts with none blocked.
constexpr int kHandledSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGCHLD, SIGWINCH};

class BlockedSignals {
 public:
  BlockedSignals() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : kHandledSignals) sigaddset(&set, sig);
    if (::sigprocmask(SIG_BLOCK, &set, &saved_) != 0) throw SysError("sigprocmask");
  }
  ~BlockedSignals() { ::sigprocmask(SIG_SETMASK, &saved_, nullptr); }
  BlockedSignals(const BlockedSignals&) = delete;
  BlockedSignals& operator=(const BlockedSignals&) = delete;

  // Lets pending and future signals reach the handlers now in place.
  void release() const { ::sigprocmask(SIG_SETMASK, &saved_, nullptr); }

 private:
  sigset_t saved_;
};

int exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

std::string unique_name() {
  std::uint32_t random = 0;
  if (::getrandom(&random, sizeof random, 0) != sizeof random) throw SysError("getrandom");
  return fmt::format("paddock-{}-{:08x}", ::getpid(), random);
}

// Everything the run created on the host, removed in reverse order.
struct HostResources {
  std::optional<Watchdog> watchdog;
  cgroups::Group cgroup;
  std::vector<placeholders::Created> placeholders;

  ~HostResources() {
    for (auto it = placeholders.rbegin(); it != placeholders.rend(); ++it) placeholders::remove(*it);
    cgroup.remove();
    if (watchdog) watchdog->dismiss();
  }
};

void warn_about_degraded_layers() {
  int abi = landlock::abi();
  if (abi == 0)
    log::warn(
        "Landlock is unavailable on this kernel: file access rests on the mount layout alone "
        "(see paddock doctor)");
  else if (abi < landlock::kBestAbi)
    log::warn("Landlock ABI {} (< {}): signals and abstract unix sockets are not scoped to the sandbox", abi,
              landlock::kBestAbi);
}

// A process limit alone needs no cgroup where the pid namespace can hold it: its own pid_max.
PidsFallback pids_without_cgroup(const Limits& limits) {
  PidsFallback fallback;
  if (!limits.pids || limits.memory_bytes || limits.cpus) return fallback;
  const std::uint64_t pid_max = *limits.pids + 1;  // pids 1 .. pid_max-1
  if (pid_max >= pidns::kMinPidMax && pid_max <= pidns::host_pid_max() && pidns::has_own_pid_max())
    fallback.pid_max = pid_max;
  return fallback;
}

pid_t clone_sandbox(bool user_namespace) {
  unsigned long flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;
  if (user_namespace) flags |= CLONE_NEWUSER;
  long pid = ::syscall(SYS_clone, flags | SIGCHLD, nullptr, nullptr, nullptr, nullptr);
  if (pid < 0) {
    int err = errno;
    if (user_namespace && (err == EPERM || err == ENOSPC || err == EINVAL))
      throw Error("cannot create a user namespace (clone: " + errno_text(err) +
                  "): unprivileged user namespaces are disabled on this host; enable them "
                  "(sysctl user.max_user_namespaces=15000, or on Ubuntu "
                  "kernel.apparmor_restrict_unprivileged_userns=0) or run as root; see paddock doctor");
    throw SysError("clone the sandbox", err);
  }
  return static_cast<pid_t>(pid);
}

// Waits for the child's set-up to finish; returns the PTY master if it made one.
UniqueFd await_ready(const Channel& channel, InitProcess& init, Observer& observer) {
  UniqueFd master;
  UniqueFd proxy;
  for (;;) {
    auto message = channel.receive();
    if (!message) {
      int status = init.wait();
      throw Error(fmt::format("the sandbox exited during set-up (status {})", exit_code(status)));
    }
    switch (message->type) {
      case MessageType::terminal:
        master = std::move(message->fd);
        break;
      case MessageType::egress_proxy:
        proxy = std::move(message->fd);
        break;
      case MessageType::egress_dns:
        observer.egress_sockets(std::move(proxy), std::move(message->fd));
        break;
      case MessageType::ready:
        return master;
      case MessageType::error:
        init.wait();
        throw Error("setting up the sandbox: " + message->text);
      default:
        throw Error("sandbox channel: unexpected message during set-up");
    }
  }
}

void await_exec(const Channel& channel, InitProcess& init) {
  auto message = channel.receive();
  if (message && message->type == MessageType::exec_ok) return;
  init.wait();
  if (message && message->type == MessageType::exec_failed)
    throw Error(fmt::format("cannot run \"{}\" in the sandbox: {}", message->text, errno_text(message->value)),
                message->value == ENOENT ? init::kExitNotFound : init::kExitCannotRun);
  throw Error("the sandbox exited before starting the command");
}

// Runs until the sandbox's init exits: relays the terminal, forwards signals.
int supervise(asio::io_context& io, InitProcess& init, UniqueFd master, const std::optional<Terminal>& terminal,
              Observer& observer, const BlockedSignals& blocked) {
  observer.event_loop(io);
  asio::signal_set signals(io);
  for (int sig : kHandledSignals)
    if (sig != SIGWINCH || master) signals.add(sig);
  blocked.release();
  std::optional<TerminalRelay> relay;
  if (master) {
    relay.emplace(io, std::move(master), terminal && terminal->stdout_is_tty ? STDOUT_FILENO : STDERR_FILENO);
    relay->start();
  }

  std::optional<int> status;
  std::function<void()> wait_for_signal = [&] {
    signals.async_wait([&](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      if (sig == SIGCHLD) {
        if ((status = init.try_wait())) io.stop();
      } else if (sig == SIGWINCH) {
        relay->resize();
      } else {
        init.signal(sig);
      }
      if (!status) wait_for_signal();
    });
  };
  wait_for_signal();
  status = init.try_wait();  // it may have exited before the handler was in place
  if (!status) io.run();
  if (relay) relay->drain();
  return exit_code(*status);
}

}  // namespace

int run(const Spec& spec, asio::io_context& io, Observer& observer) {
  ::signal(SIGPIPE, SIG_IGN);
  BlockedSignals blocked;
  warn_about_degraded_layers();

  Limits cgroup_limits = spec.limits;
  PidsFallback pids = pids_without_cgroup(spec.limits);
  if (pids.pid_max) cgroup_limits.pids.reset();

  HostResources host;
  const bool needs_cleanup =
      cgroup_limits.memory_bytes || cgroup_limits.pids || cgroup_limits.cpus || !spec.placeholders.empty();
  if (needs_cleanup) host.watchdog.emplace(Watchdog::start());
  host.cgroup = cgroups::Group::create(cgroup_limits, unique_name());
  for (const auto& dir : host.cgroup.directories()) host.watchdog->watch_cgroup(dir);

  if (cgroup_limits.pids && !host.cgroup.enforces_pids()) {
    if (spec.user_namespace)
      pids.nproc = spec.limits.pids;  // counted per user namespace
    else
      log::warn("no cgroup pids controller is available: the process limit is not enforced");
  }
  for (const auto& p : spec.placeholders) {
    host.placeholders.push_back(placeholders::create(p));
    host.watchdog->watch_placeholder(host.placeholders.back());
  }

  auto [channel, child_channel] = Channel::pair();
  const pid_t pid = clone_sandbox(spec.user_namespace);
  if (pid == 0) {
    channel.close();
    run_child({spec, pids}, child_channel);
  }
  child_channel.close();
  InitProcess init(pid);

  if (host.watchdog) {
    UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    if (!pidfd) throw SysError("pidfd_open");
    host.watchdog->watch_process(pidfd.get());
  }
  if (spec.user_namespace) userns::write_id_maps(pid, ::getuid(), ::getgid());
  host.cgroup.add(pid);
  channel.send(MessageType::go);

  UniqueFd master = await_ready(channel, init, observer);
  observer.sandbox_started(pid);
  await_exec(channel, init);
  int status = supervise(io, init, std::move(master), spec.terminal, observer, blocked);
  observer.sandbox_exited(status);
  return status;
}

}  // namespace paddock::sandbox
