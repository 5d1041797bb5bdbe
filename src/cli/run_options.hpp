// The flags `paddock run` and `paddock plan` share, and turning them into a prepared run: the
// policy loaded and compiled, the sandbox's request filled in. `paddock plan` prints what
// `paddock run` would do with the same flags.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "policy/compiler.hpp"
#include "policy/engine.hpp"
#include "policy/loader.hpp"
#include "policy/profiles.hpp"
#include "sandbox/layout.hpp"

namespace paddock::cli {

struct RunOptions {
  std::string workspace;
  bool read_only_workspace = false;
  std::string rootfs;
  std::vector<std::string> mounts;
  std::vector<std::string> env;
  std::string memory;
  std::uint64_t pids = 4096;  // far above what a build or an agent needs, far below a fork bomb
  double cpus = 0;
  std::string profile = std::string(policy::kDefaultProfile);
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
  std::vector<std::string> policy_paths;  // the run's policy files besides the profile (watched)
  std::unique_ptr<policy::PolicyEngine> engine;
  policy::CompiledPlan compiled;
};

// Throws Error (status 2) for bad flags or a policy that does not load.
PreparedRun prepare_run(const RunOptions& options, std::vector<std::string> command);

// The project's own policy file, which `paddock allow` writes and every run loads.
std::string project_policy_path(const std::string& workspace);

}  // namespace paddock::cli
