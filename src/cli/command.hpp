// Each subcommand lives in its own file and registers itself on the CLI11 app through one
// add_*_command function. Parsing only records what to do; main() runs the chosen action
// afterwards, outside CLI11, so paddock::Error reaches the one handler in main().
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace paddock::cli {

// The action a parsed command line asks for; returns the process exit status.
using Action = std::function<int()>;

// Exit statuses of paddock itself (the sandboxed command's own status passes through).
inline constexpr int kExitUsage = 2;        // bad command line or configuration
inline constexpr int kExitFailure = 125;    // paddock could not set up or run the sandbox
inline constexpr int kExitCannotRun = 126;  // the command exists but cannot be executed
inline constexpr int kExitNotFound = 127;   // the command does not exist in the sandbox

// The words after the first "--" of the command line, verbatim. CLI11 parses them as well, but
// splits a word written like a list ("[1,2]", JSON) at its commas; a command taken from here
// reaches the program exactly as typed.
struct CommandTail {
  bool present = false;
  std::vector<std::string> words;
  static CommandTail of(int argc, char** argv);
  // `parsed` (what CLI11 made of the positionals) when there was no "--".
  const std::vector<std::string>& or_parsed(const std::vector<std::string>& parsed) const {
    return present ? words : parsed;
  }
};

void add_run_command(CLI::App& app, Action& action, const CommandTail& tail);
void add_doctor_command(CLI::App& app, Action& action);
void add_policy_command(CLI::App& app, Action& action);
void add_plan_command(CLI::App& app, Action& action, const CommandTail& tail);
void add_allow_command(CLI::App& app, Action& action);
void add_selftest_command(CLI::App& app, Action& action);
void add_secret_command(CLI::App& app, Action& action);
void add_trust_command(CLI::App& app, Action& action);
void add_audit_command(CLI::App& app, Action& action);
void add_runs_command(CLI::App& app, Action& action);
void add_mcp_command(CLI::App& app, Action& action, const CommandTail& tail);

}  // namespace paddock::cli
