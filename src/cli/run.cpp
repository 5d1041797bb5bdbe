// `paddock run [OPTIONS] [-- COMMAND ARGS...]`: the command in a new sandbox under the default
// layout; without a command, the built-in demo agent.
#include <fmt/core.h>

#include <cmath>
#include <memory>

#include <boost/asio/io_context.hpp>

#include "cli/command.hpp"
#include "cli/demo_agent.hpp"
#include "common/error.hpp"
#include "sandbox/layout.hpp"
#include "sandbox/supervisor.hpp"

namespace paddock::cli {
namespace {

// The default process limit: far above what a build or an agent needs, far below a fork bomb.
constexpr std::uint64_t kDefaultPids = 4096;

struct RunOptions {
  std::string workspace;
  bool read_only_workspace = false;
  std::string rootfs;
  std::vector<std::string> mounts;
  std::vector<std::string> env;
  std::string memory;
  std::uint64_t pids = kDefaultPids;
  double cpus = 0;
  bool exec_log = false;
  std::vector<std::string> command;
};

// Prints each exec of the sandbox on the supervisor's stderr (--exec-log).
class ExecLog : public sandbox::Observer {
public:
  bool exec_requested(const sandbox::ExecEvent& event) override {
    std::string line = fmt::format("paddock: exec pid {} ppid {} {}", event.pid, event.ppid, event.path);
    for (const auto& arg : event.argv) line += " " + arg;
    fmt::print(stderr, "{}{}\n", line, event.truncated ? " ..." : "");
    return true;
  }
};

// "512M", "2G", "1.5g", "1048576" -> bytes.
std::uint64_t parse_size(const std::string& text, const std::string& flag) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  std::string unit = text.substr(used);
  double scale = 1;
  if (unit == "k" || unit == "K")
    scale = 1024.0;
  else if (unit == "m" || unit == "M")
    scale = 1024.0 * 1024;
  else if (unit == "g" || unit == "G")
    scale = 1024.0 * 1024 * 1024;
  else if (!unit.empty())
    used = 0;
  if (used == 0 || value <= 0 || !std::isfinite(value))
    throw Error(fmt::format("{} {}: expected a size such as 512M or 2G", flag, text), kExitUsage);
  return static_cast<std::uint64_t>(value * scale);
}

int run(const RunOptions& options) {
  sandbox::RunRequest request;
  request.command = options.command.empty() ? demo_agent_command() : options.command;
  if (!options.workspace.empty()) request.workspace = options.workspace;
  if (!options.rootfs.empty()) request.rootfs = options.rootfs;
  request.read_only_workspace = options.read_only_workspace;
  request.mounts = options.mounts;
  request.env = options.env;
  request.observe_exec = options.exec_log;
  if (!options.memory.empty()) request.limits.memory_bytes = parse_size(options.memory, "--memory");
  if (options.pids > 0) request.limits.pids = options.pids;
  if (options.cpus > 0) request.limits.cpus = options.cpus;

  sandbox::Spec spec;
  try {
    spec = sandbox::plan(request, sandbox::Host::current());
  } catch (const Error& e) {
    throw Error(e.what(), kExitUsage);  // everything plan() rejects is bad input
  }
  boost::asio::io_context io;
  ExecLog observer;
  return sandbox::run(spec, io, observer);
}

}  // namespace

void add_run_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<RunOptions>();
  auto* cmd = app.add_subcommand("run", "Run a command (default: the demo agent) in a new sandbox");
  cmd->add_option("-w,--workspace", options->workspace,
                  "Read-write workspace (default: the enclosing git repository, else the current directory)");
  cmd->add_flag("--read-only-workspace", options->read_only_workspace, "Mount the workspace read-only");
  cmd->add_option("--rootfs", options->rootfs, "Use DIR as the root filesystem instead of the host's system");
  cmd->add_option("--mount", options->mounts, "Bind SRC from the host at DST; append :ro for read-only")
      ->type_name("SRC:DST[:ro]");
  cmd->add_option("-e,--env", options->env, "Set K=V in the sandbox (K alone passes the host's value)")
      ->type_name("K=V");
  cmd->add_option("--memory", options->memory, "Memory limit, e.g. 2G")->type_name("SIZE");
  cmd->add_option("--pids", options->pids, "Process limit (0: none)")->capture_default_str();
  cmd->add_option("--cpus", options->cpus, "CPU limit in cores, e.g. 1.5")->check(CLI::PositiveNumber);
  cmd->add_flag("--exec-log", options->exec_log, "Print every exec inside the sandbox (path, argv, pids) on stderr");
  cmd->add_option("command", options->command, "The command and its arguments (after --)");
  cmd->positionals_at_end();
  cmd->callback([options, &action] { action = [options] { return run(*options); }; });
}

}  // namespace paddock::cli
