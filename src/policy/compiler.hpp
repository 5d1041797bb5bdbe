// The compiler from the policy to the kernel layers (DESIGN.md, "Compilation to kernel layers"):
// for every path the policy or the profile mentions, it asks the engine whether the sandbox may
// read, write and execute there, and returns the answers as the access list the sandbox's
// layout turns into mounts and Landlock rules. What a layer cannot decide from the path alone
// is reported in `notes`, with the layer that checks it instead; nothing is silently widened.
#pragma once

#include <string>
#include <vector>

#include "policy/engine.hpp"
#include "sandbox/spec.hpp"

namespace paddock::policy {

struct CompileInput {
  std::string workspace;
  std::string home;                       // the sandbox's $HOME (a fresh directory)
  std::vector<std::string> system_dirs;   // the host's system, read-only at most
  std::vector<std::string> scratch_dirs;  // fresh: /tmp, /var/tmp, /run, /var, /dev/shm
};

// The named locations policies use (Location::"workspace" ...), for the engine.
std::vector<Location> locations_for(const CompileInput& input);

struct CompiledPlan {
  std::vector<sandbox::PathAccess> access;
  // Some policy decides exec by its arguments (context.argv, command, cwd, pid): the
  // supervisor must see every exec (best effort, DESIGN.md's threat model).
  bool observe_exec = false;
  std::vector<std::string> notes;  // one line each: policy id, file:line, what, which layer instead
};

CompiledPlan compile(PolicyEngine& engine, const CompileInput& input);

struct MentionedPath {
  std::string path;  // absolute, normalised, without a trailing slash
  bool directory = false;  // named as a Dir
  auto operator<=>(const MentionedPath&) const = default;
};
// Every File and Dir named in the policies (scopes and conditions), sorted.
std::vector<MentionedPath> mentioned_paths(const cedar::PolicySet& policies);

}  // namespace paddock::policy
