// Control groups: memory, pids and cpu limits for one sandbox. cgroup v2 first (a delegated
// subtree, or the hierarchy's root when running as root); on hybrid hosts whose controllers
// live on v1, the v1 hierarchies (root only). Every process of the sandbox joins before it runs.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "sandbox/spec.hpp"

namespace paddock::sandbox::cgroups {

class Group {
 public:
  // Creates the cgroups that enforce `limits`, named `name`. Throws Error when memory or cpu
  // were asked for and this host cannot enforce them (saying what would). A pids limit that
  // cannot be enforced here is left out: see enforces_pids().
  static Group create(const Limits& limits, const std::string& name);

  Group() = default;
  Group(Group&&) = default;
  Group& operator=(Group&&) = default;

  void add(pid_t pid) const;
  bool enforces_pids() const { return pids_; }
  const std::vector<std::string>& directories() const { return directories_; }
  bool empty() const { return directories_.empty(); }
  // Kills whatever is left inside and removes the directories.
  void remove() noexcept;

 private:
  std::vector<std::string> directories_;
  bool pids_ = false;
};

// Kills every process in each cgroup directory, then removes them (deepest first). Used by
// Group::remove and by the watchdog after a supervisor died.
void kill_and_remove(const std::vector<std::string>& directories) noexcept;

// Which cgroup versions and controllers this host offers, for `paddock doctor`.
struct Support {
  bool v2 = false;
  std::vector<std::string> v2_controllers;  // delegated to this process's cgroup
  std::vector<std::string> v1_controllers;  // mounted v1 hierarchies
};
Support probe();

}  // namespace paddock::sandbox::cgroups
