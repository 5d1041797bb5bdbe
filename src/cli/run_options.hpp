// The flags `paddock run` and `paddock plan` share, and turning them into a prepared run: the
// policy loaded and compiled, the sandbox's request filled in. `paddock plan` prints what
// `paddock run` would do with the same flags.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "policy/compiler.hpp"
#include "policy/engine.hpp"
#include "policy/loader.hpp"
#include "policy/profiles.hpp"
#include "sandbox/layout.hpp"
#include "workspace/settings.hpp"

namespace paddock::cli {

struct RunOptions {
  std::string workspace;
  bool read_only_workspace = false;
  bool no_file_events = false;  // root runs observe files unless told not to
  std::string rootfs;
  std::vector<std::string> mounts;
  std::vector<std::string> env;
  // Unset: from the configuration files, else the default.
  std::optional<std::string> memory;
  std::optional<std::uint64_t> pids;
  std::optional<double> cpus;
  std::optional<std::string> profile;
  std::vector<std::string> policies;
  std::string agent;
  std::uint16_t proxy_port = 3128;        // the egress proxy's port on the sandbox's 127.0.0.1
  std::vector<std::string> grants;        // "NAME" or "NAME=VARIABLE": secrets the proxy injects
  std::vector<std::string> intercept;     // hosts whose TLS the proxy always reads ("*": all)
  std::vector<std::string> no_intercept;  // hosts it never reads (wins over everything)
  std::vector<std::string> command;
};

void add_run_options(CLI::App* cmd, RunOptions& options);

struct PreparedRun {
  sandbox::Host host;
  sandbox::RunRequest request;
  policy::Profile profile;
  std::vector<std::string> policy_paths;         // the run's policy files besides the profile (watched)
  std::vector<policy::PolicyFile> policy_files;  // the texts the engine was built from, profile first
  std::string agent;                             // the principal's name, Agent::"NAME"
  std::unique_ptr<policy::PolicyEngine> engine;
  policy::CompiledPlan compiled;
  workspace::Settings settings;                    // the configuration files and the flags, merged
  std::optional<std::string> post_create_command;  // devcontainer.json's, not yet run here
};

// A process limit far above what a build or an agent needs, far below a fork bomb.
inline constexpr std::uint64_t kDefaultPids = 4096;

// Throws Error (status 2) for bad flags, a configuration file that does not load or is not
// trusted, or a policy that does not load.
PreparedRun prepare_run(const RunOptions& options, std::vector<std::string> command);

// The project's own policy file, which `paddock allow` writes and every run loads.
std::string project_policy_path(const std::string& workspace);

}  // namespace paddock::cli
