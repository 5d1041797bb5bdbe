#include "sandbox/exec_monitor.hpp"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <climits>
#include <cstring>
#include <filesystem>
#include <optional>

#include "common/error.hpp"
#include "common/log.hpp"
#include "sandbox/procfs.hpp"

namespace paddock::sandbox {
namespace {

namespace fs = std::filesystem;
constexpr std::uintptr_t kPage = 4096;

// Reads a NUL-terminated string of at most `max` bytes from another process, page by page (a
// string may end just before an unmapped page).
std::optional<std::string> read_string(pid_t pid, std::uintptr_t address, std::size_t max) {
  std::string out;
  char buf[kPage];
  while (out.size() < max) {
    std::size_t chunk = kPage - (address % kPage);
    iovec local{buf, chunk};
    iovec remote{reinterpret_cast<void*>(address), chunk};
    ssize_t n = ::process_vm_readv(pid, &local, 1, &remote, 1, 0);
    if (n <= 0) return std::nullopt;
    const char* end = static_cast<const char*>(std::memchr(buf, '\0', static_cast<std::size_t>(n)));
    if (end != nullptr) {
      out.append(buf, static_cast<std::size_t>(end - buf));
      return out;
    }
    out.append(buf, static_cast<std::size_t>(n));
    address += static_cast<std::uintptr_t>(n);
  }
  return out;
}

std::optional<std::uintptr_t> read_pointer(pid_t pid, std::uintptr_t address) {
  std::uintptr_t value = 0;
  iovec local{&value, sizeof value};
  iovec remote{reinterpret_cast<void*>(address), sizeof value};
  if (::process_vm_readv(pid, &local, 1, &remote, 1, 0) != sizeof value) return std::nullopt;
  return value;
}

// The absolute path an execve or execveat names, as seen inside the sandbox; fills in the cwd.
std::string read_path(const seccomp_notif& request, const std::string& proc, std::string& cwd) {
  const pid_t pid = static_cast<pid_t>(request.pid);
  const bool at = request.data.nr == __NR_execveat;
  std::string path = read_string(pid, request.data.args[at ? 1 : 0], PATH_MAX).value_or("");
  cwd = procfs::read_link(proc + "/cwd");
  if (!path.empty() && path[0] == '/') return path;
  std::string base = cwd;
  if (at && static_cast<int>(request.data.args[0]) != AT_FDCWD)
    base = procfs::read_link(proc + "/fd/" + std::to_string(static_cast<int>(request.data.args[0])));
  return path.empty() ? base : (fs::path(base) / path).lexically_normal().string();
}

void read_argv(const seccomp_notif& request, ExecEvent& event) {
  const pid_t pid = static_cast<pid_t>(request.pid);
  const std::uintptr_t argv = request.data.args[request.data.nr == __NR_execveat ? 2 : 1];
  std::size_t bytes = 0;
  for (std::size_t i = 0; argv != 0; ++i) {
    if (i == ExecMonitor::kMaxArgs || bytes >= ExecMonitor::kMaxArgBytes) {
      event.truncated = true;
      break;
    }
    auto pointer = read_pointer(pid, argv + i * sizeof(std::uintptr_t));
    if (!pointer || *pointer == 0) break;
    auto arg = read_string(pid, *pointer, ExecMonitor::kMaxArgBytes - bytes);
    if (!arg) break;
    bytes += arg->size() + 1;
    event.argv.push_back(std::move(*arg));
  }
}

}  // namespace

// Linux 6.6: the target and the supervisor hand over on one CPU instead of waking each other
// across CPUs, which is most of a notification's round trip. Kernels before 6.6 answer EINVAL:
// the round trip is only slower there.
constexpr unsigned long kNotifSetFlags = SECCOMP_IOW(4, std::uint64_t);
constexpr std::uint64_t kSyncWakeUp = 1;

ExecMonitor::ExecMonitor(boost::asio::io_context& io, UniqueFd listener, Decide decide)
    : listener_(io, listener.release()), decide_(std::move(decide)) {
  if (::ioctl(listener_.native_handle(), kNotifSetFlags, kSyncWakeUp) != 0 && errno != EINVAL)
    throw SysError("SECCOMP_IOCTL_NOTIF_SET_FLAGS");
  seccomp_notif_sizes sizes{};
  if (::syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) != 0) throw SysError("SECCOMP_GET_NOTIF_SIZES");
  // The kernel's structures may be larger than the headers' (newer fields): use its sizes.
  request_.resize(std::max<std::size_t>(sizes.seccomp_notif, sizeof(seccomp_notif)));
  response_.resize(std::max<std::size_t>(sizes.seccomp_notif_resp, sizeof(seccomp_notif_resp)));
}

void ExecMonitor::start() {
  wait();
}

void ExecMonitor::wait() {
  listener_.async_wait(boost::asio::posix::descriptor_base::wait_read, [this](const boost::system::error_code& ec) {
    if (ec) return;
    handle_one();
    wait();
  });
}

void ExecMonitor::handle_one() {
  std::fill(request_.begin(), request_.end(), 0);
  auto* request = reinterpret_cast<seccomp_notif*>(request_.data());
  if (::ioctl(listener_.native_handle(), SECCOMP_IOCTL_NOTIF_RECV, request) != 0) return;  // the caller died

  const std::string proc = "/proc/" + std::to_string(request->pid);
  ExecEvent event;
  event.path = read_path(*request, proc, event.cwd);
  // A PATH search tries one directory after another; a candidate that does not exist is left
  // to fail in the kernel at once, unreported, so only real execs become events.
  bool allow = true;
  if (!event.path.empty() && ::access((proc + "/root" + event.path).c_str(), F_OK) == 0) {
    read_argv(*request, event);
    auto [inner, host_parent] = procfs::pids_of(static_cast<pid_t>(request->pid));
    event.pid = inner;
    event.ppid = procfs::pids_of(host_parent).first;
    // The pid may have been reused if the caller died meanwhile: only a still-valid id counts.
    if (::ioctl(listener_.native_handle(), SECCOMP_IOCTL_NOTIF_ID_VALID, &request->id) != 0) return;
    allow = decide_(event);
  }

  std::fill(response_.begin(), response_.end(), 0);
  auto* response = reinterpret_cast<seccomp_notif_resp*>(response_.data());
  response->id = request->id;
  if (allow) {
    response->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
  } else {
    response->error = -EACCES;
  }
  ::ioctl(listener_.native_handle(), SECCOMP_IOCTL_NOTIF_SEND, response);  // ENOENT: the caller died
}

}  // namespace paddock::sandbox
