// File observation through fanotify (root only: a notification group that reports open files
// needs CAP_SYS_ADMIN in the host's user namespace). The sandbox's child makes the group and
// marks its own mounts while it still holds its capabilities; the supervisor reads the events
// (file_monitor.hpp). Observation only: it sees what the kernel layers already allowed.
#pragma once

#include <string>
#include <vector>

#include "common/unique_fd.hpp"

namespace paddock::sandbox::fanotify {

// A group reporting every close of a file (opened for writing, or not) on the mounts at
// `targets`, paths in the current mount namespace; an empty fd when this kernel has no fanotify
// (the run goes on without file events, and says so). A target whose path does not exist is
// skipped (an optional mount that was not made); any other failure throws SysError.
UniqueFd watch_mounts(const std::vector<std::string>& targets);

}  // namespace paddock::sandbox::fanotify
