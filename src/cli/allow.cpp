// `paddock allow exec|host|read|write|mcp TARGET`: appends a permit to the project's own policy,
// <workspace>/.paddock/policy.cedar, which every run loads (and a running sandbox reloads). The
// sandbox cannot write there: .paddock/ is a protected path.
#include <fmt/core.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "cli/command.hpp"
#include "cli/run_options.hpp"
#include "common/error.hpp"
#include "policy/denials.hpp"
#include "sandbox/layout.hpp"
#include "workspace/trust.hpp"

namespace fs = std::filesystem;

namespace paddock::cli {
namespace {

struct AllowOptions {
  std::string what;
  std::string target;
  std::string workspace;
};

std::string slug(const std::string& text) {
  std::string out;
  for (char c : text) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  return out;
}

// The policy text for one `paddock allow`.
std::string permit_for(const AllowOptions& o, const std::string& id) {
  using policy::cedar_string;
  if (o.what == "host") {
    auto colon = o.target.rfind(':');
    bool has_port = colon != std::string::npos && o.target.find(']', colon) == std::string::npos &&
                    o.target.find_first_not_of("0123456789", colon + 1) == std::string::npos &&
                    colon + 1 < o.target.size();
    return fmt::format("@id({})\npermit (principal, action == Action::\"NetworkConnect\", resource {} Host::{});\n",
                       cedar_string(id), has_port ? "==" : "in", cedar_string(o.target));
  }
  if (o.what == "mcp") {
    const auto slash = o.target.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == o.target.size())
      throw Error("paddock allow mcp " + o.target + ": expected SERVER/TOOL", kExitUsage);
    return fmt::format(
        "@id({})\npermit (principal, action == Action::\"McpCall\", resource == MCP::Tool::{})\n"
        "when {{ resource in MCP::Server::{} }};\n",
        cedar_string(id), cedar_string(o.target.substr(slash + 1)), cedar_string(o.target.substr(0, slash)));
  }
  if (o.target.empty() || o.target[0] != '/')
    throw Error("paddock allow " + o.what + " " + o.target + ": expected an absolute path", kExitUsage);
  const bool directory = fs::is_directory(o.target);
  const std::string resource = directory ? fmt::format("resource in Dir::{}", cedar_string(o.target + "/"))
                                         : fmt::format("resource == File::{}", cedar_string(o.target));
  if (o.what == "exec")
    return fmt::format(
        "@id({})\npermit (principal, action in [Action::\"ProcessExec\", Action::\"FileOpenReadOnly\"], resource)\n"
        "when {{ {} }};\n",
        cedar_string(id), resource);
  if (o.what == "read")
    return fmt::format(
        "@id({})\npermit (principal, action == Action::\"FileOpenReadOnly\", resource)\nwhen {{ {} }};\n",
        cedar_string(id), resource);
  if (o.what == "write")
    return fmt::format(
        "@id({})\npermit (principal, action in [Action::\"FileOpenReadOnly\", Action::\"FileOpenReadWrite\"], "
        "resource)\nwhen {{ {} }};\n",
        cedar_string(id), resource);
  throw Error("paddock allow " + o.what + ": expected exec, host, read, write or mcp", kExitUsage);
}

int allow(const AllowOptions& options) {
  sandbox::RunRequest request;
  if (!options.workspace.empty()) request.workspace = options.workspace;
  const std::string workspace = sandbox::resolve_workspace(request, sandbox::Host::current());
  const std::string path = project_policy_path(workspace);

  // A policy file the user trusted (or a new one) stays trusted with the permit added; one that
  // came with the project stays untrusted until reviewed (`paddock trust`).
  auto trust = workspace::TrustStore::standard();
  const bool keep_trusted = !fs::exists(path) || trust.state(path) == workspace::TrustStore::State::trusted;
  std::string existing;
  if (std::ifstream in(path); in) {
    std::stringstream text;
    text << in.rdbuf();
    existing = text.str();
  }
  std::string id = "allow-" + options.what + "-" + slug(options.target);
  for (int n = 2; existing.find("@id(\"" + id + "\")") != std::string::npos; ++n)
    id = "allow-" + options.what + "-" + slug(options.target) + "-" + std::to_string(n);
  const std::string text = permit_for(options, id);

  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::app);
  if (!out) throw SysError("open " + path);
  out << (existing.empty() || existing.back() == '\n' ? "" : "\n") << text;
  if (!out.flush()) throw SysError("write " + path);
  out.close();
  if (keep_trusted) trust.trust({path});
  fmt::print("added to {}:\n{}", path, text);
  fmt::print(
      "running sandboxes reload it now (exec, network and MCP decisions); file access and which programs may run "
      "change at the next run\n");
  return 0;
}

}  // namespace

void add_allow_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<AllowOptions>();
  auto* cmd = app.add_subcommand("allow", "Permit something in the project's policy (.paddock/policy.cedar)");
  cmd->add_option("what", options->what, "exec, host, read, write or mcp")
      ->required()
      ->check(CLI::IsMember({"exec", "host", "read", "write", "mcp"}));
  cmd->add_option("target", options->target, "A path, HOST[:PORT] for host, SERVER/TOOL for mcp")->required();
  cmd->add_option("-w,--workspace", options->workspace, "The project (default: the enclosing git repository)");
  cmd->callback([options, &action] { action = [options] { return allow(*options); }; });
}

}  // namespace paddock::cli
