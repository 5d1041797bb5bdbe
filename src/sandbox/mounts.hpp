// Mount namespace: builds the sandbox's root filesystem from the plan's mount list and pivots
// into it. Host sources are pinned first (open_tree clones, so a path swapped later cannot
// redirect a mount), the new root is a tmpfs populated in order, then sealed read-only.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sandbox/spec.hpp"

namespace paddock::sandbox::mounts {

// Runs in the sandbox child, in its fresh mount namespace. Afterwards "/" is the new root, the
// host's tree is gone from this namespace, and the working directory is "/".
struct BuildHooks {
  // Runs right after the fresh procfs is mounted (given its staged path), before anything of it
  // is made read-only: the one moment sysctls of the sandbox's own namespaces can be set.
  std::function<void(const std::string&)> after_proc;
  // Runs once, before the first mount that needs the host prepared (Mount::needs_host), or
  // before pivot_root if none does: waits until the supervisor has made the placeholders.
  std::function<void()> await_host;
};

void build_root(const std::vector<Mount>& mounts, const BuildHooks& hooks);

}  // namespace paddock::sandbox::mounts
