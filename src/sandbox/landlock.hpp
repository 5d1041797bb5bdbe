// Landlock: the filesystem access the plan grants (read, write, execute per tree), plus scoping
// of signals and abstract unix sockets to the sandbox (ABI 6). Uses the best ABI the kernel
// offers; what an older ABI cannot express is reported by `abi()` for the caller to warn about.
#pragma once

#include <vector>

#include "sandbox/spec.hpp"

namespace paddock::sandbox::landlock {

// The kernel's Landlock ABI version, 0 when Landlock is unavailable.
int abi();
// The newest ABI paddock uses; a lower one means a degraded sandbox.
inline constexpr int kBestAbi = 6;

// Runs in the sandbox child after pivot_root and no_new_privs. Does nothing when abi() is 0.
void restrict_self(const std::vector<FsRule>& rules);

}  // namespace paddock::sandbox::landlock
