// The sandbox child, from clone() to exec: the ordered set-up pipeline, one kernel mechanism per
// step, each in its own file. Any failure is sent to the supervisor as one line and the child
// exits; the namespaces die with it, so nothing half-made remains.
#pragma once

#include <cstdint>
#include <optional>

#include "sandbox/channel.hpp"
#include "sandbox/seccomp.hpp"
#include "sandbox/spec.hpp"

namespace paddock::sandbox {

// Exit status of a child whose set-up failed (the reason went over the channel).
inline constexpr int kChildSetupFailed = 125;

struct ChildPlan {
  const Spec& spec;
  const seccomp::Program& filter;
  std::optional<std::uint64_t> nproc_limit;  // RLIMIT_NPROC, when no cgroup limits pids
};

[[noreturn]] void run_child(const ChildPlan& plan, const Channel& channel);

}  // namespace paddock::sandbox
