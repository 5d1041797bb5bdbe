// What configuration files contribute to a run (DESIGN.md, "Policy vocabulary": project config):
// ~/.config/paddock/config.toml, the workspace's paddock.toml and .devcontainer/devcontainer.json
// each give one Settings; they merge in that order and the CLI's flags merge last, so they win.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace paddock::workspace {

struct Settings {
  std::optional<std::string> profile;
  std::vector<std::string> policies;  // absolute paths
  std::vector<std::string> mounts;    // "SRC:DST[:ro]", SRC absolute
  std::vector<std::string> env;       // "K=V"
  std::optional<std::string> memory;  // "2G"
  std::optional<std::uint64_t> pids;
  std::optional<double> cpus;
  std::vector<std::string> grants;  // "NAME" or "NAME=VARIABLE"
  std::optional<std::string> agent;
  std::vector<std::string> notes;  // what was read but not applied, one line each
};

// Scalars of `over` replace those of `base`; lists are appended (env: a later K wins).
void merge_into(Settings& base, const Settings& over);

}  // namespace paddock::workspace
