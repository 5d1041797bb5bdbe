// Where the agent works, and which paths inside it stay read-only: the files that make a host
// tool (git, direnv, an editor, the agent itself, a shell) run code or change its own rules.
#pragma once

#include <string>
#include <vector>

namespace paddock::sandbox {

// The enclosing git repository's root (a directory holding `.git`), else `cwd` itself.
std::string find_workspace_root(const std::string& cwd);

struct ProtectedPath {
  std::string path;        // absolute, inside the workspace
  bool exists = false;     // false: the first missing component of a protected path
  bool directory = false;  // what to create as a placeholder when it does not exist
};

// The protected paths of a workspace, each resolved once, at start (an agent cannot widen them
// by replacing a directory with a symlink later). For a protected path that does not exist, the
// result names its first missing component, so nothing beneath it can be created either.
std::vector<ProtectedPath> protected_paths(const std::string& workspace);

}  // namespace paddock::sandbox
