#include "sandbox/supervisor.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <sched.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/subprocess.hpp"
#include "sandbox/cgroups.hpp"
#include "sandbox/channel.hpp"
#include "sandbox/child.hpp"
#include "sandbox/event_loop.hpp"
#include "sandbox/init.hpp"
#include "sandbox/init_process.hpp"
#include "sandbox/landlock.hpp"
#include "sandbox/pidns.hpp"
#include "sandbox/placeholders.hpp"
#include "sandbox/signals.hpp"
#include "sandbox/userns.hpp"
#include "sandbox/watchdog.hpp"

namespace paddock::sandbox {
namespace {

namespace asio = boost::asio;

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
std::optional<std::uint64_t> pid_max_for(const Limits& limits) {
  if (!limits.pids || limits.memory_bytes || limits.cpus) return std::nullopt;
  const std::uint64_t pid_max = *limits.pids + 1;  // pids 1 .. pid_max-1
  if (pid_max >= pidns::kMinPidMax && pid_max <= pidns::host_pid_max() && pidns::has_own_pid_max()) return pid_max;
  return std::nullopt;
}

// The host's half of the set-up, done while the child builds its mount tree: the watchdog, the
// cgroups (the child joins them), the placeholders. Returns RLIMIT_NPROC for the child, or 0.
std::uint64_t prepare_host(const Spec& spec, const Limits& cgroup_limits, pid_t child, HostResources& host) {
  const bool needs_cleanup =
      cgroup_limits.memory_bytes || cgroup_limits.pids || cgroup_limits.cpus || !spec.placeholders.empty();
  if (!needs_cleanup) return 0;
  host.watchdog.emplace(Watchdog::start());
  UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, child, 0)));
  if (!pidfd) throw SysError("pidfd_open");
  host.watchdog->watch_process(pidfd.get());

  host.cgroup = cgroups::Group::create(cgroup_limits, unique_name());
  for (const auto& dir : host.cgroup.directories()) host.watchdog->watch_cgroup(dir);
  host.cgroup.add(child);
  std::uint64_t nproc = 0;
  if (cgroup_limits.pids && !host.cgroup.enforces_pids()) {
    if (spec.user_namespace)
      nproc = *spec.limits.pids;  // counted per user namespace
    else
      log::warn("no cgroup pids controller is available: the process limit is not enforced");
  }

  for (const auto& p : spec.placeholders) {
    host.placeholders.push_back(placeholders::create(p));
    host.watchdog->watch_placeholder(host.placeholders.back());
  }
  return nproc;
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

// What the child hands over during set-up.
struct Handover {
  UniqueFd terminal_master;
  UniqueFd exec_listener;
  FileListener files;
};

// Waits for the child's set-up to finish.
Handover await_ready(const Channel& channel, InitProcess& init, Observer& observer, UniqueFd mount_namespace) {
  Handover handover;
  UniqueFd proxy;
  for (;;) {
    auto message = channel.receive();
    if (!message) {
      int status = init.wait();
      throw Error(fmt::format("the sandbox exited during set-up (status {})", exit_status_of(status)));
    }
    switch (message->type) {
      case MessageType::terminal:
        handover.terminal_master = std::move(message->fd);
        break;
      case MessageType::exec_listener:
        handover.exec_listener = std::move(message->fd);
        break;
      case MessageType::file_listener:
        handover.files = {std::move(message->fd), std::move(mount_namespace)};
        break;
      case MessageType::egress_proxy:
        proxy = std::move(message->fd);
        break;
      case MessageType::egress_dns:
        observer.egress_sockets(std::move(proxy), std::move(message->fd));
        break;
      case MessageType::mcp_listener:
        observer.mcp_socket(std::move(message->fd));
        break;
      case MessageType::ready:
        return handover;
      case MessageType::error:
        init.wait();
        throw Error("setting up the sandbox: " + message->text);
      default:
        throw Error("sandbox channel: unexpected message during set-up");
    }
  }
}

}  // namespace

int run(const Spec& spec, asio::io_context& io, Observer& observer) {
  ::signal(SIGPIPE, SIG_IGN);
  BlockedSignals blocked;
  warn_about_degraded_layers();

  const std::optional<std::uint64_t> pid_max = pid_max_for(spec.limits);
  Limits cgroup_limits = spec.limits;
  if (pid_max) cgroup_limits.pids.reset();

  HostResources host;
  auto [channel, child_channel] = Channel::pair();
  const pid_t pid = clone_sandbox(spec.user_namespace);
  if (pid == 0) {
    channel.close();
    run_child({spec, pid_max}, child_channel);
  }
  child_channel.close();
  InitProcess init(pid);
  // File events name files by their mounts, which stay in place only while the sandbox's mount
  // namespace lives: it is held until the last event is read, after the sandbox is gone. It is
  // opened now, while the child waits for `go`: a command that fails at once takes init, and
  // the namespace's name in /proc, with it before set-up's messages are read.
  UniqueFd mount_namespace;
  if (!spec.observed_mounts.empty()) {
    mount_namespace.reset(::open(("/proc/" + std::to_string(pid) + "/ns/mnt").c_str(), O_RDONLY | O_CLOEXEC));
    if (!mount_namespace) throw SysError("open the sandbox's mount namespace");
  }

  // A child whose set-up failed has sent its error and exited: await_ready reads that error,
  // which a send's EPIPE must not hide.
  if (spec.user_namespace) userns::write_id_maps(pid, ::getuid(), ::getgid());
  channel.send_unless_closed(MessageType::go);
  const std::uint64_t nproc = prepare_host(spec, cgroup_limits, pid, host);
  channel.send_unless_closed(MessageType::host_ready, static_cast<int>(std::min<std::uint64_t>(nproc, INT32_MAX)));

  Handover handover = await_ready(channel, init, observer, std::move(mount_namespace));
  if (!spec.observed_mounts.empty() && !handover.files.group)
    log::warn("this kernel has no fanotify: the run records no file events (see paddock doctor)");
  observer.sandbox_started(pid);
  int status = supervise(io,
                         {init, channel, std::move(handover.terminal_master), std::move(handover.exec_listener),
                          std::move(handover.files), spec.terminal},
                         observer, blocked);
  observer.sandbox_exited(status);
  return status;
}

}  // namespace paddock::sandbox
