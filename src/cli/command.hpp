// Each subcommand lives in its own file and registers itself on the CLI11 app through one
// add_*_command function. Parsing only records what to do; main() runs the chosen action
// afterwards, outside CLI11, so paddock::Error reaches the one handler in main().
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace paddock::cli {

// The action a parsed command line asks for; returns the process exit status.
using Action = std::function<int()>;

// Exit statuses of paddock itself (the sandboxed command's own status passes through).
inline constexpr int kExitUsage = 2;        // bad command line or configuration
inline constexpr int kExitFailure = 125;    // paddock could not set up or run the sandbox
inline constexpr int kExitCannotRun = 126;  // the command exists but cannot be executed
inline constexpr int kExitNotFound = 127;   // the command does not exist in the sandbox

void add_run_command(CLI::App& app, Action& action);
void add_doctor_command(CLI::App& app, Action& action);
void add_policy_command(CLI::App& app, Action& action);
void add_plan_command(CLI::App& app, Action& action);
void add_allow_command(CLI::App& app, Action& action);
void add_selftest_command(CLI::App& app, Action& action);
void add_secret_command(CLI::App& app, Action& action);
void add_trust_command(CLI::App& app, Action& action);
void add_audit_command(CLI::App& app, Action& action);
void add_runs_command(CLI::App& app, Action& action);

}  // namespace paddock::cli
