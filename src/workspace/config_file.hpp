// paddock.toml and ~/.config/paddock/config.toml (toml++):
//
//   profile = "standard"
//   policies = ["policy/extra.cedar"]          # relative to the file's directory
//   mounts = ["~/.cache/pip:/home/me/.cache/pip:ro"]
//   grants = ["anthropic", "github=GH_TOKEN"]  # secrets (paddock secret add) to grant
//   agent = "claude"
//   [env]
//   RUST_LOG = "debug"
//   [limits]
//   memory = "4G"
//   pids = 2048
//   cpus = 2
//
// An unknown key or a wrong type is an Error naming file:line and what is expected.
#pragma once

#include <string>

#include "workspace/settings.hpp"

namespace paddock::workspace {

// `home` expands a leading "~/" in mounts.
Settings load_config_file(const std::string& path, const std::string& home);

// $XDG_CONFIG_HOME/paddock/config.toml, else $HOME/.config/paddock/config.toml.
std::string user_config_path(const std::string& home);

}  // namespace paddock::workspace
