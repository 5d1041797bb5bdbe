// .devcontainer/devcontainer.json (JSON with comments), imported where present: containerEnv,
// mounts (bind mounts only), the limits in runArgs (--memory, --cpus, --pids-limit), and notes
// for what paddock does its own way (workspaceFolder: the workspace stays at its own path;
// --cap-drop: every capability is dropped anyway; image and features: the host's system is the
// root filesystem). postCreateCommand is returned for the run to execute once.
#pragma once

#include <optional>
#include <string>

#include "workspace/settings.hpp"

namespace paddock::workspace {

struct Devcontainer {
  Settings settings;
  std::optional<std::string> post_create_command;  // a shell command line
};

// Throws Error naming the file (and line) for JSON that does not parse or a wrong type.
Devcontainer load_devcontainer(const std::string& path, const std::string& workspace);

}  // namespace paddock::workspace
