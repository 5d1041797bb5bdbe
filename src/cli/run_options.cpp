#include "cli/run_options.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "cedar/diagnostics.hpp"
#include "cli/command.hpp"
#include "common/error.hpp"
#include "common/files.hpp"
#include "mcp/decision_protocol.hpp"
#include "net/environment.hpp"
#include "workspace/config_file.hpp"
#include "workspace/devcontainer.hpp"
#include "workspace/trust.hpp"

namespace fs = std::filesystem;

namespace paddock::cli {
namespace {

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

}  // namespace

std::string project_policy_path(const std::string& workspace) {
  return workspace + "/.paddock/policy.cedar";
}

void add_run_options(CLI::App* cmd, RunOptions& options) {
  cmd->add_option("-w,--workspace", options.workspace,
                  "Read-write workspace (default: the enclosing git repository, else the current directory)");
  cmd->add_flag("--read-only-workspace", options.read_only_workspace, "Mount the workspace read-only");
  cmd->add_flag("--no-file-events", options.no_file_events,
                "Do not record the files closed in the workspace and scratch trees (recorded in root runs)");
  cmd->add_option("--rootfs", options.rootfs, "Use DIR as the root filesystem instead of the host's system");
  cmd->add_option("--mount", options.mounts, "Bind SRC from the host at DST; append :ro for read-only")
      ->type_name("SRC:DST[:ro]");
  cmd->add_option("-e,--env", options.env, "Set K=V in the sandbox (K alone passes the host's value)")
      ->type_name("K=V");
  cmd->add_option("--memory", options.memory, "Memory limit, e.g. 2G")->type_name("SIZE");
  cmd->add_option("--pids", options.pids, "Process limit (0: none; default 4096)");
  cmd->add_option("--cpus", options.cpus, "CPU limit in cores, e.g. 1.5")->check(CLI::PositiveNumber);
  cmd->add_option("-p,--profile", options.profile, "Built-in profile: paranoid, strict (default), standard, trusted");
  cmd->add_option("--policy", options.policies, "A further Cedar policy file (repeatable)")->type_name("FILE");
  cmd->add_option("--proxy-port", options.proxy_port,
                  "Port of the egress proxy (HTTP, CONNECT, SOCKS5) on the sandbox's 127.0.0.1")
      ->check(CLI::Range(1, 65535))
      ->capture_default_str();
  cmd->add_option("--grant", options.grants,
                  "Grant a stored secret (repeatable): the sandbox gets a placeholder in VARIABLE, the proxy "
                  "swaps in the value for the secret's hosts")
      ->type_name("NAME[=VARIABLE]");
  cmd->add_option("--intercept", options.intercept,
                  "Always read this host's TLS (repeatable; *.domain, host:port, * for all)")
      ->type_name("HOST");
  cmd->add_option("--no-intercept", options.no_intercept,
                  "Never read this host's TLS, even with grants or request rules (repeatable)")
      ->type_name("HOST");
  cmd->add_option("--agent", options.agent, "The agent's name in policies, Agent::\"NAME\" (default: the command's)");
}

namespace {

// The flags as the last layer of settings: they win over every file.
workspace::Settings flag_settings(const RunOptions& options) {
  workspace::Settings flags;
  flags.profile = options.profile;
  flags.memory = options.memory;
  flags.pids = options.pids;
  flags.cpus = options.cpus;
  if (!options.agent.empty()) flags.agent = options.agent;
  for (const auto& path : options.policies) {
    if (!fs::is_regular_file(path)) throw Error("--policy " + path + ": no such file", kExitUsage);
    flags.policies.push_back(fs::absolute(path).lexically_normal());
  }
  flags.mounts = options.mounts;
  flags.env = options.env;
  flags.grants = options.grants;
  return flags;
}

// The user's config.toml, then the workspace's paddock.toml and devcontainer.json once the
// user has trusted them (workspace/trust.hpp), then the flags.
workspace::Settings configured_settings(const RunOptions& options, const std::string& workspace_dir,
                                        const std::string& home, std::optional<std::string>& post_create) {
  workspace::Settings settings;
  const std::string user_config = workspace::user_config_path(home);
  std::error_code unreadable;
  if (fs::exists(user_config, unreadable))
    workspace::merge_into(settings, workspace::load_config_file(user_config, home));
  else if (unreadable)
    throw Error(
        fmt::format("{}: {}; HOME is {}, set it to your own home directory", user_config, unreadable.message(), home));
  const auto project = workspace::project_files(workspace_dir);
  if (!project.empty()) {
    auto trust = workspace::TrustStore::standard();
    for (const auto& file : project) {
      const auto state = trust.state(file);
      if (state == workspace::TrustStore::State::trusted) continue;
      throw Error(state == workspace::TrustStore::State::changed
                      ? fmt::format("{}: changed since you trusted it; review the change, then run `paddock trust "
                                    "-w {}`",
                                    file, workspace_dir)
                      : fmt::format("{}: not trusted yet (a project's file can choose the sandbox's profile, mounts, "
                                    "policies, environment and secrets); review it, then run `paddock trust -w {}`",
                                    file, workspace_dir),
                  kExitUsage);
    }
    auto present = [&](const std::string& file) {
      return std::find(project.begin(), project.end(), file) != project.end();
    };
    const std::string toml = workspace_dir + "/paddock.toml";
    if (present(toml)) workspace::merge_into(settings, workspace::load_config_file(toml, home));
    const std::string devcontainer = workspace_dir + "/.devcontainer/devcontainer.json";
    if (present(devcontainer)) {
      auto imported = workspace::load_devcontainer(devcontainer, workspace_dir);
      workspace::merge_into(settings, imported.settings);
      post_create = imported.post_create_command;
    }
  }
  workspace::merge_into(settings, flag_settings(options));
  return settings;
}

}  // namespace

PreparedRun prepare_run(const RunOptions& options, std::vector<std::string> command) {
  if (options.proxy_port == mcp::kDecisionPort)
    throw Error(fmt::format("--proxy-port {}: that port is the MCP decision socket's inside the sandbox; pick another",
                            options.proxy_port),
                kExitUsage);
  PreparedRun run;
  run.host = sandbox::Host::current();
  auto& request = run.request;
  request.command = std::move(command);
  if (!options.workspace.empty()) request.workspace = options.workspace;
  if (!options.rootfs.empty()) request.rootfs = options.rootfs;
  request.read_only_workspace = options.read_only_workspace;

  try {
    const std::string workspace = sandbox::resolve_workspace(request, run.host);
    run.settings = configured_settings(options, workspace, run.host.home, run.post_create_command);
    const auto& settings = run.settings;
    request.mounts = settings.mounts;
    request.env = settings.env;
    if (settings.memory) request.limits.memory_bytes = parse_size(*settings.memory, "--memory");
    const std::uint64_t pids = settings.pids.value_or(kDefaultPids);
    if (pids > 0) request.limits.pids = pids;
    if (settings.cpus) {
      if (*settings.cpus <= 0) throw Error("--cpus: expected a positive number", kExitUsage);
      request.limits.cpus = *settings.cpus;
    }
    run.profile = policy::find_profile(settings.profile.value_or(std::string(policy::kDefaultProfile)));
    run.policy_paths = settings.policies;
    for (const auto& path : run.policy_paths)
      if (!fs::is_regular_file(path)) throw Error(path + ": no such policy file", kExitUsage);
    // The project's own policy is watched even before it exists: `paddock allow` may create it.
    const std::string project_policy = project_policy_path(workspace);
    auto files = policy::policy_files(run.profile, run.policy_paths);
    if (fs::exists(project_policy)) files.push_back(policy::policy_files(run.profile, {project_policy}).back());
    run.policy_paths.push_back(project_policy);

    policy::CompileInput input;
    input.workspace = workspace;
    input.home = fs::path(run.host.home).lexically_normal();
    input.system_dirs = sandbox::system_directories();
    input.scratch_dirs = sandbox::scratch_directories();
    policy::Identity identity;
    identity.agent = settings.agent            ? *settings.agent
                     : request.command.empty() ? "agent"
                                               : fs::path(request.command.front()).filename().string();
    identity.sandbox = fs::path(workspace).filename().string();
    run.agent = identity.agent;
    run.engine =
        std::make_unique<policy::PolicyEngine>(policy::load_policy_set(files), identity, policy::locations_for(input));
    run.policy_files = std::move(files);
    run.compiled = policy::compile(*run.engine, input);
  } catch (const cedar::PolicyError& e) {
    std::string rendered = cedar::render(e.diagnostics());
    while (!rendered.empty() && rendered.back() == '\n') rendered.pop_back();
    throw Error("the policy does not load:\n" + rendered, kExitUsage);
  } catch (const Error& e) {
    throw Error(e.what(), kExitUsage);  // everything here is the user's input
  }
  request.access = run.compiled.access;
  request.observe_exec = run.compiled.observe_exec;
  request.observe_files = !options.no_file_events;  // the plan keeps it to root runs (fanotify)
  request.overlay_workspace = run.profile.overlay_workspace;
  // The MCP interposer's way to the supervisor, and paddock itself to run it (`paddock mcp wrap`).
  request.mcp_port = mcp::kDecisionPort;
  request.env.insert(request.env.begin(),
                     std::string(mcp::kDecisionVariable) + "=127.0.0.1:" + std::to_string(mcp::kDecisionPort));
  request.self_binary = self_executable();
  if (run.profile.network) {
    // The sandbox's only way out: the proxy's variables first, so that --env can override them.
    request.egress = sandbox::Egress{options.proxy_port, 53};
    auto env = net::proxy_environment(options.proxy_port);
    env.insert(env.end(), request.env.begin(), request.env.end());
    request.env = std::move(env);
    for (auto& [target, content] : net::resolver_files(request.egress->dns_port))
      request.files.push_back({std::move(target), std::move(content), {}, /*where_possible=*/true});
  }
  return run;
}

}  // namespace paddock::cli
