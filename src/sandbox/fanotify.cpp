#include "sandbox/fanotify.hpp"

#include <fcntl.h>
#include <sys/fanotify.h>

#include "common/error.hpp"

namespace paddock::sandbox::fanotify {

UniqueFd watch_mounts(const std::vector<std::string>& targets) {
  // The events' fds are opened in the supervisor: never blocking (a FIFO), never inherited.
  UniqueFd group(
      ::fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY | O_CLOEXEC | O_LARGEFILE | O_NONBLOCK));
  if (!group) {
    if (errno == ENOSYS) return group;  // a kernel built without it
    throw SysError("fanotify_init");
  }
  // A close, not an open, is reported: one event per open file, and whether it was written.
  for (const auto& target : targets)
    if (::fanotify_mark(group.get(), FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_CLOSE_WRITE | FAN_CLOSE_NOWRITE, AT_FDCWD,
                        target.c_str()) != 0 &&
        errno != ENOENT)
      throw SysError("fanotify_mark " + target);
  return group;
}

}  // namespace paddock::sandbox::fanotify
