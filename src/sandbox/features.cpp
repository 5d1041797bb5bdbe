#include "sandbox/features.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/fanotify.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "common/error.hpp"
#include "sandbox/cgroups.hpp"
#include "sandbox/landlock.hpp"

namespace paddock::sandbox {
namespace {

// Tries unshare(flags) in a throw-away child, so this process keeps its namespaces.
int try_unshare(int flags) {
  pid_t pid = ::fork();
  if (pid < 0) return errno;
  if (pid == 0) ::_exit(::unshare(flags) == 0 ? 0 : (errno & 0xff));
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : EINVAL;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out.empty() ? "none" : out;
}

}  // namespace

std::vector<Feature> probe_features() {
  std::vector<Feature> features;
  const bool root = ::geteuid() == 0;

  int err = try_unshare(CLONE_NEWUSER);
  features.push_back({"user namespaces", err == 0, err == 0 ? "unprivileged sandboxes work" : errno_text(err),
                      root ? "nothing while running as root" : "paddock run needs root"});

  err = try_unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP |
                    (root ? 0 : CLONE_NEWUSER));
  features.push_back({"mount, pid, net, ipc, uts, cgroup namespaces", err == 0, err == 0 ? "all" : errno_text(err),
                      "no sandbox can be made"});

  bool mount_api = ::open_tree(-1, "", 0) < 0 && errno != ENOSYS;
  features.push_back({"new mount API (open_tree, move_mount, mount_setattr)", mount_api, mount_api ? "yes" : "no",
                      "no sandbox can be made (Linux >= 5.12 is needed)"});

  int abi = landlock::abi();
  features.push_back({"Landlock", abi > 0, abi > 0 ? fmt::format("ABI {}", abi) : "unavailable",
                      "file access rests on mounts alone; no signal or abstract-socket scoping"});
  if (abi > 0 && abi < landlock::kBestAbi)
    features.push_back({"Landlock scoping (ABI 6)", false, fmt::format("ABI {}", abi),
                        "signals and abstract unix sockets are not confined to the sandbox"});

  bool seccomp = ::prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0;
  features.push_back({"seccomp filters", seccomp, seccomp ? "yes" : "no", "the system-call filter is missing"});
  struct seccomp_notif_sizes sizes {};
  bool notify = ::syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) == 0;
  features.push_back(
      {"seccomp user notification", notify, notify ? "yes" : "no", "exec events are not observed when not root"});

  auto cg = cgroups::probe();
  features.push_back({"cgroup v2", cg.v2,
                      cg.v2 ? "controllers delegated here: " + join(cg.v2_controllers) : "not mounted",
                      "limits need v1 controllers (root)"});
  bool v1 = !cg.v1_controllers.empty();
  features.push_back({"cgroup v1 (fallback, root only)", v1 && root, "controllers: " + join(cg.v1_controllers),
                      "--memory/--cpus need delegated v2 controllers; --pids falls back to RLIMIT_NPROC"});

  int fan = root ? ::fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY) : -1;
  if (fan >= 0) ::close(fan);
  features.push_back({"fanotify", fan >= 0, fan >= 0 ? "yes" : (root ? errno_text(errno) : "needs root"),
                      "no file events: the audit trail does not say which files the sandbox read or wrote"});

  bool pidfd = ::syscall(SYS_pidfd_open, ::getpid(), 0) >= 0;
  features.push_back({"pidfd", pidfd, pidfd ? "yes" : "no", "cleanup after a crashed supervisor is slower"});
  return features;
}

}  // namespace paddock::sandbox
