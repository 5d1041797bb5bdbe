#include "sandbox/child.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "common/error.hpp"
#include "common/unique_fd.hpp"
#include "sandbox/capabilities.hpp"
#include "sandbox/fanotify.hpp"
#include "sandbox/fds.hpp"
#include "sandbox/init.hpp"
#include "sandbox/landlock.hpp"
#include "sandbox/mounts.hpp"
#include "sandbox/network.hpp"
#include "sandbox/pidns.hpp"
#include "sandbox/rlimits.hpp"
#include "sandbox/seccomp.hpp"

namespace paddock::sandbox {
namespace {

// The PTY lives in the sandbox's own devpts, so the command's tty has a name that resolves
// inside (ttyname, `tty`); the master goes to the supervisor, which relays it to the terminal.
UniqueFd open_terminal(const Terminal& terminal, const Channel& channel) {
  UniqueFd master(::open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!master) throw SysError("open /dev/ptmx");
  int unlock = 0;
  if (::ioctl(master.get(), TIOCSPTLCK, &unlock) != 0) throw SysError("unlock the pty");
  UniqueFd slave(::ioctl(master.get(), TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!slave) throw SysError("open the pty's terminal side");
  if (::tcsetattr(slave.get(), TCSANOW, &terminal.mode) != 0) throw SysError("set the pty's mode");
  struct winsize size {};
  size.ws_row = terminal.rows;
  size.ws_col = terminal.cols;
  if (::ioctl(slave.get(), TIOCSWINSZ, &size) != 0) throw SysError("set the pty's size");
  channel.send(MessageType::terminal, 0, {}, master.get());
  return slave;
}

// A socket bound to 127.0.0.1:port inside the sandbox's network namespace, handed out.
void send_socket(const Channel& channel, MessageType type, int socket_type, std::uint16_t port) {
  UniqueFd fd(::socket(AF_INET, socket_type | SOCK_CLOEXEC, 0));
  if (!fd) throw SysError("socket in the sandbox");
  int one = 1;
  if (::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) throw SysError("SO_REUSEADDR");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw SysError("bind 127.0.0.1:" + std::to_string(port) + " in the sandbox");
  if (socket_type == SOCK_STREAM && ::listen(fd.get(), SOMAXCONN) != 0) throw SysError("listen");
  channel.send(type, 0, {}, fd.get());
}

void set_oom_score() {
  // The sandbox goes first when memory runs out, not the user's session.
  UniqueFd fd(::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC));
  if (fd && ::write(fd.get(), "500", 3) < 0) throw SysError("write /proc/self/oom_score_adj");
}

}  // namespace

void run_child(const ChildPlan& plan, const Channel& channel) {
  const Spec& spec = plan.spec;
  try {
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) throw SysError("prctl(PR_SET_PDEATHSIG)");
    fds::close_all_except({channel.fd()});
    auto go = channel.receive();
    if (!go || go->type != MessageType::go) ::_exit(kChildSetupFailed);  // the supervisor is gone

    if (::sethostname(spec.hostname.data(), spec.hostname.size()) != 0) throw SysError("sethostname");
    network::bring_up_loopback();
    if (spec.egress) {
      send_socket(channel, MessageType::egress_proxy, SOCK_STREAM, spec.egress->proxy_port);
      send_socket(channel, MessageType::egress_dns, SOCK_DGRAM, spec.egress->dns_port);
    }
    if (spec.mcp_port) send_socket(channel, MessageType::mcp_listener, SOCK_STREAM, *spec.mcp_port);
    // Meanwhile the supervisor makes the placeholders and puts this process in its cgroups.
    std::optional<std::uint64_t> nproc;
    mounts::BuildHooks hooks;
    hooks.after_proc = [&](const std::string& proc) {
      if (plan.pid_max) pidns::set_pid_max(proc, *plan.pid_max);
    };
    hooks.await_host = [&] {
      auto ready = channel.receive();
      if (!ready || ready->type != MessageType::host_ready) ::_exit(kChildSetupFailed);
      if (ready->value > 0) nproc = static_cast<std::uint64_t>(ready->value);
    };
    mounts::build_root(spec.mounts, hooks);
    // The cgroup namespace is made only now, after joining the sandbox's cgroups, so its root is
    // the sandbox's own group and the host's cgroup paths stay invisible.
    if (::unshare(CLONE_NEWCGROUP) != 0) throw SysError("unshare(CLONE_NEWCGROUP)");
    UniqueFd tty;
    if (spec.terminal) tty = open_terminal(*spec.terminal, channel);
    if (::chdir(spec.cwd.c_str()) != 0) throw SysError("chdir " + spec.cwd);
    rlimits::apply(nproc);
    set_oom_score();

    if (!spec.observed_mounts.empty()) {
      UniqueFd group = fanotify::watch_mounts(spec.observed_mounts);  // needs CAP_SYS_ADMIN: before the drop
      if (group) channel.send(MessageType::file_listener, 0, {}, group.get());
    }
    capabilities::drop_bounding_and_lock();  // also sets no_new_privs, which Landlock needs
    landlock::restrict_self(spec.fs_rules);
    capabilities::drop_all();
    if (spec.observe_exec) {
      UniqueFd listener = seccomp::install_exec_notify();
      channel.send(MessageType::exec_listener, 0, {}, listener.get());
    }
    seccomp::install_filter();

    channel.send(MessageType::ready);
    init::run(spec, channel, std::move(tty));
  } catch (const std::exception& e) {
    try {
      channel.send(MessageType::error, 0, e.what());
    } catch (...) {
    }
  }
  ::_exit(kChildSetupFailed);
}

}  // namespace paddock::sandbox
