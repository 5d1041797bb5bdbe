// The sandbox child, from clone() to exec: the ordered set-up pipeline, one kernel mechanism per
// step, each in its own file. Any failure is sent to the supervisor as one line and the child
// exits; the namespaces die with it, so nothing half-made remains.
#pragma once

#include <cstdint>
#include <optional>

#include "sandbox/channel.hpp"
#include "sandbox/spec.hpp"

namespace paddock::sandbox {

// Exit status of a child whose set-up failed (the reason went over the channel).
inline constexpr int kChildSetupFailed = 125;

// How the process limit is enforced when no cgroup does it (see cgroups.hpp).
struct PidsFallback {
  std::optional<std::uint64_t> pid_max;  // the pid namespace's own pid_max (Linux >= 6.14)
  std::optional<std::uint64_t> nproc;    // RLIMIT_NPROC, which a user namespace scopes to the sandbox
};

struct ChildPlan {
  const Spec& spec;
  PidsFallback pids;
};

[[noreturn]] void run_child(const ChildPlan& plan, const Channel& channel);

}  // namespace paddock::sandbox
