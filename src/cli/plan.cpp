// `paddock plan [RUN OPTIONS]`: what `paddock run` would build for this project, from the same
// flags: the access the policy grants per path, what a layer cannot decide exactly, the mount
// plan and the Landlock rules.
#include <fmt/core.h>

#include <memory>

#include "cli/command.hpp"
#include "cli/demo_agent.hpp"
#include "cli/run_options.hpp"
#include "common/error.hpp"

namespace paddock::cli {
namespace {

std::string_view kind_name(const sandbox::Mount& m) {
  using Kind = sandbox::Mount::Kind;
  switch (m.kind) {
    case Kind::bind:
      return "bind";
    case Kind::tmpfs:
      return "tmpfs";
    case Kind::symlink:
      return "symlink";
    case Kind::proc:
      return "proc";
    case Kind::devpts:
      return "devpts";
    case Kind::mask:
      return "hidden";
    case Kind::restrict:
      return "narrowed";
    case Kind::directory:
      return "directory";
    case Kind::file:
      return "file";
    case Kind::overlay:
      return "overlay";
  }
  return "?";
}

std::string flags_of(const sandbox::Mount& m) {
  using Kind = sandbox::Mount::Kind;
  if (m.kind == Kind::symlink) return "-> " + m.source;
  if (m.kind == Kind::mask || m.kind == Kind::proc || m.kind == Kind::devpts || m.kind == Kind::directory ||
      m.kind == Kind::file)
    return "";
  if (m.kind == Kind::overlay) return "writes go to a throw-away layer";
  std::string out = m.read_only ? "read-only" : "read-write";
  if (m.noexec) out += ", noexec";
  if (m.kind == Kind::bind && m.source != m.target) out += ", from " + m.source;
  return out;
}

std::string rights(std::uint8_t bits) {
  std::string out;
  auto add = [&](bool on, const char* name) {
    if (on) out += (out.empty() ? "" : " ") + std::string(name);
  };
  add(bits & sandbox::access::read, "read");
  add(bits & sandbox::access::list, "list");
  add(bits & sandbox::access::write, "write");
  add(bits & sandbox::access::execute, "execute");
  return out;
}

int plan(const RunOptions& options) {
  PreparedRun prepared = prepare_run(options, options.command.empty() ? demo_agent_command() : options.command);
  sandbox::Spec spec;
  try {
    spec = sandbox::plan(prepared.request, prepared.host);
  } catch (const Error& e) {
    throw Error(e.what(), kExitUsage);
  }
  std::string policies;
  for (const auto& p : prepared.policy_paths)
    policies += "\n  " + p + (::access(p.c_str(), F_OK) == 0 ? "" : " (absent)");
  fmt::print("profile {} (built in); policy files:{}\nworkspace {}\n\n", prepared.profile.name, policies,
             spec.workspace);

  fmt::print("access the policy grants (compiled from Cedar):\n");
  for (const auto& a : prepared.compiled.access)
    fmt::print("  {}{}{}  {}\n", a.read ? 'r' : '-', a.write ? 'w' : '-', a.execute ? 'x' : '-', a.path);
  fmt::print("\nwhat a kernel layer cannot decide exactly:\n");
  if (prepared.compiled.notes.empty()) fmt::print("  nothing\n");
  for (const auto& note : prepared.compiled.notes) fmt::print("  {}\n", note);
  fmt::print("exec observation: {}\n", prepared.request.observe_exec ? "on (argv rules)" : "off");

  fmt::print("\nmount plan (inside the sandbox):\n");
  for (const auto& m : spec.mounts) fmt::print("  {:<10} {} {}\n", kind_name(m), m.target, flags_of(m));
  for (const auto& p : spec.placeholders)
    fmt::print("  placeholder {} (made on the host for the run, removed after)\n", p.host_path);
  fmt::print("\nlandlock rules:\n");
  for (const auto& rule : spec.fs_rules) fmt::print("  {:<40} {}\n", rule.path, rights(rule.access));
  return 0;
}

}  // namespace

void add_plan_command(CLI::App& app, Action& action, const CommandTail& tail) {
  auto options = std::make_shared<RunOptions>();
  auto* cmd = app.add_subcommand("plan", "Print the mount plan and Landlock rules `paddock run` would use here");
  add_run_options(cmd, *options);
  cmd->add_option("command", options->command, "The command (it names the agent in policies)");
  cmd->positionals_at_end();
  cmd->callback([options, &action, &tail] {
    options->command = tail.or_parsed(options->command);
    action = [options] { return plan(*options); };
  });
}

}  // namespace paddock::cli
