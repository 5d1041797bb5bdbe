#include "policy/watcher.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "common/error.hpp"

namespace fs = std::filesystem;

namespace paddock::policy {
namespace {

// Editors save by writing in place, or by writing a new file and renaming it over the old.
constexpr std::uint32_t kMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM;
constexpr auto kDebounce = std::chrono::milliseconds(20);

}  // namespace

PolicyWatcher::PolicyWatcher(boost::asio::io_context& io, const std::vector<std::string>& files,
                             std::function<void()> reload)
    : inotify_(io), debounce_(io), reload_(std::move(reload)) {
  int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) throw SysError("inotify_init1");
  inotify_.assign(fd);
  for (const auto& file : files) {
    fs::path path = fs::absolute(file).lexically_normal();
    std::string dir = path.parent_path();
    if (!watched_.contains(dir)) {
      int wd = ::inotify_add_watch(fd, dir.c_str(), kMask);
      if (wd < 0) {
        if (errno == ENOENT) continue;  // nothing to watch until the directory exists
        throw SysError("watch " + dir);
      }
      directories_[wd] = dir;
    }
    watched_[dir].insert(path.filename());
  }
  wait();
}

void PolicyWatcher::wait() {
  inotify_.async_wait(boost::asio::posix::descriptor_base::wait_read, [this](const boost::system::error_code& ec) {
    if (ec) return;
    on_events();
    wait();
  });
}

void PolicyWatcher::on_events() {
  alignas(inotify_event) char buf[8192];
  bool relevant = false;
  for (;;) {
    ssize_t n = ::read(inotify_.native_handle(), buf, sizeof buf);
    if (n <= 0) break;
    for (char* p = buf; p < buf + n;) {
      auto* event = reinterpret_cast<inotify_event*>(p);
      p += sizeof(inotify_event) + event->len;
      auto dir = directories_.find(event->wd);
      if (dir == directories_.end() || event->len == 0) continue;
      if (watched_[dir->second].contains(event->name)) relevant = true;
    }
  }
  if (!relevant || pending_) return;
  pending_ = true;
  debounce_.expires_after(kDebounce);
  debounce_.async_wait([this](const boost::system::error_code& ec) {
    pending_ = false;
    if (!ec) reload_();
  });
}

}  // namespace paddock::policy
