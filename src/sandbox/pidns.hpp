// PID namespace: since Linux 6.14 each pid namespace has its own pid_max, which bounds how many
// processes the sandbox can hold at once without any cgroup (a cgroup v1 migration costs a
// whole RCU grace period, milliseconds, on every start).
#pragma once

#include <cstdint>
#include <string>

namespace paddock::sandbox::pidns {

// The smallest pid_max the kernel accepts.
inline constexpr std::uint64_t kMinPidMax = 301;

// True when this kernel keeps pid_max per pid namespace.
bool has_own_pid_max();
// The host's pid_max (a namespace's may not exceed its parent's).
std::uint64_t host_pid_max();
// Runs in the sandbox child: writes pid_max through the procfs of the sandbox's pid namespace.
void set_pid_max(const std::string& proc, std::uint64_t value);

}  // namespace paddock::sandbox::pidns
