// What the supervisor reads about a sandboxed process from the host's /proc: its ids as the
// sandbox sees them, and its links (cwd, open files). Both monitors (exec, files) use these.
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>

namespace paddock::sandbox::procfs {

// The innermost pid of a host pid (the last NSpid entry) and its parent's host pid; {0, 0}
// when the process is gone.
std::pair<pid_t, pid_t> pids_of(pid_t host_pid);

// A symlink's target ("" when it cannot be read).
std::string read_link(const std::string& path);

}  // namespace paddock::sandbox::procfs
