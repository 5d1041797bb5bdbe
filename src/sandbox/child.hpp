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

struct ChildPlan {
  const Spec& spec;
  // The pid namespace's own pid_max, when it enforces the process limit (see pidns.hpp). The
  // other fallback, RLIMIT_NPROC, arrives with the host_ready message.
  std::optional<std::uint64_t> pid_max;
};

[[noreturn]] void run_child(const ChildPlan& plan, const Channel& channel);

}  // namespace paddock::sandbox
