#include "sandbox/file_monitor.hpp"

#include <sys/fanotify.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "common/error.hpp"
#include "sandbox/procfs.hpp"

namespace paddock::sandbox {
namespace {

constexpr std::string_view kDeleted = " (deleted)";
constexpr auto kBatchDelay = std::chrono::milliseconds(5);

// Events per read. Each comes with an fd the kernel opens for the reader, and an event whose fd
// cannot be made is dropped unreported: a read never asks for more than half the fds the
// supervisor may still open (it holds a few dozen of its own).
std::size_t events_per_read() {
  constexpr std::size_t kMost = 256, kOwnFds = 64;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return kMost;
  const std::size_t spare = limit.rlim_cur > 2 * kOwnFds ? (limit.rlim_cur - kOwnFds) / 2 : 1;
  return std::min(kMost, spare);
}

// The path of an event's fd as the sandbox sees it: the mount lies in the sandbox's mount
// namespace, whose root is the sandbox's root, so the kernel's name for it starts there.
std::string path_of(int fd) {
  std::string path = procfs::read_link("/proc/self/fd/" + std::to_string(fd));
  struct stat st {};
  // The kernel appends " (deleted)" to a file removed meanwhile; only then is it not the name.
  if (path.ends_with(kDeleted) && ::fstat(fd, &st) == 0 && st.st_nlink == 0) path.resize(path.size() - kDeleted.size());
  return path;
}

}  // namespace

FileMonitor::FileMonitor(boost::asio::io_context& io, FileListener listener, Report report, Overflow overflow)
    : group_(io, listener.group.release()),
      mount_namespace_(std::move(listener.mount_namespace)),
      batch_timer_(io),
      report_(std::move(report)),
      overflow_(std::move(overflow)),
      buffer_(events_per_read() * sizeof(fanotify_event_metadata)) {}

void FileMonitor::start() {
  wait();
}

void FileMonitor::drain() {
  while (read_batch()) {
  }
}

void FileMonitor::wait() {
  group_.async_wait(boost::asio::posix::descriptor_base::wait_read, [this](const boost::system::error_code& ec) {
    if (ec) return;
    batch_timer_.expires_after(kBatchDelay);
    batch_timer_.async_wait([this](const boost::system::error_code& timer_ec) {
      if (timer_ec) return;
      drain();
      wait();
    });
  });
}

bool FileMonitor::read_batch() {
  const ssize_t n = ::read(group_.native_handle(), buffer_.data(), buffer_.size());
  if (n < 0) {
    // The kernel opens each event's file for the reader: when it cannot (out of fds, say), that
    // event is gone. The sandbox never causes more than a report of loss.
    if (errno != EAGAIN && errno != EINTR) overflow_();
    return false;
  }
  // One process closes many files in a row: its sandbox pid is looked up once per batch.
  std::unordered_map<pid_t, pid_t> inner_pids;
  std::size_t left = static_cast<std::size_t>(n);
  for (auto* event = reinterpret_cast<const fanotify_event_metadata*>(buffer_.data()); FAN_EVENT_OK(event, left);
       event = FAN_EVENT_NEXT(event, left)) {
    if (event->vers != FANOTIFY_METADATA_VERSION)
      throw Error("fanotify: the kernel's event format (version " + std::to_string(event->vers) +
                  ") is not the one paddock was built for");
    if (event->mask & FAN_Q_OVERFLOW) {
      overflow_();
      continue;
    }
    if (event->fd < 0) continue;
    UniqueFd fd(event->fd);
    FileEvent file;
    file.path = path_of(fd.get());
    file.written = (event->mask & FAN_CLOSE_WRITE) != 0;
    auto [known, inserted] = inner_pids.try_emplace(event->pid, 0);
    if (inserted) known->second = procfs::pids_of(event->pid).first;
    file.pid = known->second;
    if (!file.path.empty()) report_(file);
  }
  return n > 0;
}

}  // namespace paddock::sandbox
