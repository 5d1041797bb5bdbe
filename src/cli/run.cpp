// `paddock run [OPTIONS] [-- COMMAND ARGS...]`: the command in a new sandbox governed by the
// profile and policies; without a command, the built-in demo agent.
#include <fmt/core.h>

#include <boost/asio/io_context.hpp>

#include <memory>
#include <optional>

#include "cedar/diagnostics.hpp"
#include "cli/command.hpp"
#include "cli/demo_agent.hpp"
#include "cli/run_interception.hpp"
#include "cli/run_options.hpp"
#include "cli/run_trail.hpp"
#include "common/error.hpp"
#include "common/files.hpp"
#include "common/sha256.hpp"
#include "mcp/decision_service.hpp"
#include "net/proxy.hpp"
#include "policy/denials.hpp"
#include "policy/watcher.hpp"
#include "sandbox/supervisor.hpp"
#include "workspace/trust.hpp"

namespace paddock::cli {
namespace {

// The policy's part in a running sandbox: exec decisions (argv rules), the egress proxy, the MCP
// interposers' decisions, denial lines, the exec log, and hot reload of the policy files.
class PolicyObserver : public sandbox::Observer {
 public:
  PolicyObserver(PreparedRun& run, net::Interception interception, RunTrail& trail, bool exec_log, bool file_log)
      : run_(run), interception_(std::move(interception)), trail_(trail), exec_log_(exec_log), file_log_(file_log) {}

  void sandbox_started(pid_t init_pid) override { trail_.started(init_pid); }

  void egress_sockets(UniqueFd proxy_listener, UniqueFd dns_socket) override {
    proxy_listener_ = std::move(proxy_listener);
    dns_socket_ = std::move(dns_socket);
  }

  void mcp_socket(UniqueFd listener) override { mcp_listener_ = std::move(listener); }

  ~PolicyObserver() override { trail_.detach_stream(); }

  void event_loop(boost::asio::io_context& io) override {
    // Denial lines of the proxy and the MCP decisions: the supervisor's stderr.
    auto print_line = [](const std::string& line) { fmt::print(stderr, "{}\n", line); };
    trail_.attach_stream(io);
    watcher_.emplace(io, run_.policy_paths, [this] { reload(); });
    if (proxy_listener_ || dns_socket_) {
      proxy_.emplace(io, *run_.engine, net::ProxyReport{trail_, print_line}, nullptr, std::move(interception_));
      proxy_->serve(std::move(proxy_listener_), std::move(dns_socket_));
    }
    if (mcp_listener_) mcp_.emplace(io, std::move(mcp_listener_), mcp::McpDecisions(*run_.engine, trail_, print_line));
  }

  void sandbox_exited(int /*exit_status*/) override {
    if (proxy_) proxy_->stop();
    if (mcp_) mcp_->stop();
    trail_.detach_stream();
  }

  bool exec_requested(const sandbox::ExecEvent& event) override {
    std::string command_line;
    for (const auto& arg : event.argv) command_line += " " + arg;
    if (exec_log_)
      fmt::print(stderr, "paddock: exec pid {} ppid {} {}{}{}\n", event.pid, event.ppid, event.path, command_line,
                 event.truncated ? " ..." : "");
    auto verdict = run_.engine->exec({event.path, event.argv, event.cwd, event.pid});
    trail_.record({0, audit::Exec{event.pid, event.ppid, event.path, event.argv, event.cwd, event.truncated,
                                  policy::to_decision(verdict)}});
    if (!verdict.allowed)
      fmt::print(stderr, "{}\n",
                 policy::denial_line("exec " + event.path + command_line, verdict, "paddock allow exec " + event.path));
    return verdict.allowed;
  }

  // The kernel layers allowed this open; the policy's own answer is recorded with it, so a
  // condition they could not enforce (paddock policy check lists them) shows as a denial here.
  void file_closed(const sandbox::FileEvent& event) override {
    const char* access = event.written ? "write" : "read";
    if (file_log_) fmt::print(stderr, "paddock: file pid {} {} {}\n", event.pid, access, event.path);
    const auto verdict = run_.engine->file(event.path, false, event.written);
    trail_.record({0, audit::File{event.pid, event.path, access,
                                  policy::to_decision(verdict, verdict.allowed ? "" : kNotEnforced)}});
  }

  void file_events_lost() override { trail_.file_events_lost(); }

 private:
  static constexpr const char* kNotEnforced =
      "the policy denies this open, which the kernel layers allowed: a condition they cannot enforce";

  void reload() {
    try {
      std::vector<std::string> present;
      for (const auto& path : run_.policy_paths)
        if (::access(path.c_str(), F_OK) == 0) present.push_back(path);
      const auto files = policy::policy_files(run_.profile, present);
      auto policies = policy::load_policy_set(files);
      const std::size_t count = policies->policies().size();
      run_.engine->replace(std::move(policies));
      // What the next trail of this PreparedRun hashes (the main run after postCreateCommand).
      run_.policy_files = files;
      record_policy(audit::Policy::Change::reload, files, count, {});
      fmt::print(stderr,
                 "paddock: policy reloaded ({} policies): applies now to exec, network and MCP decisions; file "
                 "access and which programs may run apply to the next run\n",
                 count);
    } catch (const cedar::PolicyError& e) {
      fmt::print(stderr, "{}paddock: policy edit rejected; the previous policy stays in force\n",
                 cedar::render(e.diagnostics()));
      std::vector<std::string> diagnostics;
      for (const auto& d : e.diagnostics()) diagnostics.push_back(cedar::render(d));
      record_policy(audit::Policy::Change::reject, {}, 0, std::move(diagnostics));
    } catch (const Error& e) {
      fmt::print(stderr, "paddock: policy edit rejected ({}); the previous policy stays in force\n", e.what());
      record_policy(audit::Policy::Change::reject, {}, 0, {e.what()});
    }
  }

  void record_policy(audit::Policy::Change change, const std::vector<policy::PolicyFile>& files, std::size_t count,
                     std::vector<std::string> diagnostics) {
    trail_.record({0, policy_event(change, run_.profile.name, files, count, std::move(diagnostics))});
  }

  PreparedRun& run_;
  net::Interception interception_;  // handed to the proxy when the loop starts
  RunTrail& trail_;
  bool exec_log_;
  bool file_log_;
  UniqueFd proxy_listener_, dns_socket_, mcp_listener_;
  std::optional<policy::PolicyWatcher> watcher_;
  std::optional<net::Proxy> proxy_;
  std::optional<mcp::DecisionService> mcp_;
};

struct RunFlags {
  RunOptions options;
  bool exec_log = false;
  bool file_log = false;
  bool net_log = false;
};

// One sandbox and its audit trail. The trail outlives the event loop: connections still open
// when the sandbox exits end, and report their close, as the loop is destroyed.
int run_with_trail(PreparedRun& prepared, const sandbox::Spec& spec, net::Interception interception,
                   const RunFlags& flags) {
  RunTrail trail(prepared, spec.argv, spec.workspace, flags.net_log);
  int status;
  try {
    boost::asio::io_context io;
    PolicyObserver observer(prepared, std::move(interception), trail, flags.exec_log, flags.file_log);
    status = sandbox::run(spec, io, observer);
  } catch (const Error& e) {
    trail.finished(e.exit_status());  // the command could not start (126, 127) or set-up failed
    throw;
  }
  trail.finished(status);
  return status;
}

// devcontainer.json's postCreateCommand: once per workspace and command line, before the
// command, in a sandbox of its own made like the run's (same policy, network and grants). A
// failure stops the run, and the command runs again next time.
int post_create(PreparedRun& prepared, const net::Interception& interception, const RunFlags& flags,
                const std::string& workspace) {
  const std::string& line = *prepared.post_create_command;
  const std::string marker_dir = data_directory() + "/post-create";
  const std::string marker = marker_dir + "/" + sha256_hex(workspace + '\0' + line);
  if (::access(marker.c_str(), F_OK) == 0) return 0;
  fmt::print(stderr, "paddock: running devcontainer.json's postCreateCommand once: {}\n", line);
  sandbox::RunRequest request = prepared.request;
  request.command = {"/bin/sh", "-c", line};
  sandbox::Spec spec = sandbox::plan(request, prepared.host);
  const int status = run_with_trail(prepared, spec, interception, flags);
  if (status != 0) {
    fmt::print(stderr, "paddock: postCreateCommand failed (status {}); it runs again next time\n", status);
    return status;
  }
  make_directories(marker_dir, 0700);
  write_file_atomically(marker, line + "\n", 0600);
  return 0;
}

int run(const RunFlags& flags) {
  PreparedRun prepared =
      prepare_run(flags.options, flags.options.command.empty() ? demo_agent_command() : flags.options.command);
  prepared.request.observe_exec = prepared.request.observe_exec || flags.exec_log;
  net::Interception interception = prepare_interception(flags.options, prepared);
  for (const auto& note : prepared.settings.notes) fmt::print(stderr, "paddock: note: {}\n", note);
  for (const auto& note : prepared.compiled.notes) fmt::print(stderr, "paddock: note: {}\n", note);

  sandbox::Spec spec;
  try {
    spec = sandbox::plan(prepared.request, prepared.host);
  } catch (const Error& e) {
    throw Error(e.what(), kExitUsage);  // everything plan() rejects is bad input
  }
  if (prepared.post_create_command)
    if (const int status = post_create(prepared, interception, flags, spec.workspace); status != 0) return status;
  return run_with_trail(prepared, spec, std::move(interception), flags);
}

}  // namespace

void add_run_command(CLI::App& app, Action& action, const CommandTail& tail) {
  auto flags = std::make_shared<RunFlags>();
  auto* cmd = app.add_subcommand("run", "Run a command (default: the demo agent) in a new sandbox");
  add_run_options(cmd, flags->options);
  cmd->add_flag("--exec-log", flags->exec_log, "Print every exec inside the sandbox (path, argv, pids) on stderr");
  cmd->add_flag("--file-log", flags->file_log,
                "Print every file closed in the workspace and scratch trees on stderr (root runs: fanotify)")
      ->excludes("--no-file-events");
  cmd->add_flag("--net-log", flags->net_log,
                "Print every connection, HTTP request and DNS query of the sandbox on stderr");
  cmd->add_option("command", flags->options.command, "The command and its arguments (after --)");
  cmd->positionals_at_end();
  cmd->callback([flags, &action, &tail] {
    flags->options.command = tail.or_parsed(flags->options.command);
    action = [flags] { return run(*flags); };
  });
}

}  // namespace paddock::cli
