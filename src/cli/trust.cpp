// `paddock trust [-w DIR]`: the user has reviewed the workspace's paddock.toml and
// devcontainer.json and lets paddock apply them (workspace/trust.hpp). Prints what it trusted.
#include <fmt/core.h>

#include <memory>

#include "cli/command.hpp"
#include "common/error.hpp"
#include "sandbox/layout.hpp"
#include "workspace/trust.hpp"

namespace paddock::cli {
namespace {

int trust(const std::string& workspace_flag) {
  sandbox::RunRequest request;
  if (!workspace_flag.empty()) request.workspace = workspace_flag;
  std::string workspace;
  try {
    workspace = sandbox::resolve_workspace(request, sandbox::Host::current());
  } catch (const Error& e) {
    throw Error(e.what(), kExitUsage);
  }
  const auto files = workspace::project_files(workspace);
  if (files.empty()) {
    fmt::print(stderr, "paddock: {} has no paddock.toml or .devcontainer/devcontainer.json: nothing to trust\n",
               workspace);
    return 0;
  }
  workspace::TrustStore::standard().trust(files);
  for (const auto& file : files)
    fmt::print(stderr, "paddock: trusted {} (sha256 {})\n", file, workspace::sha256_file(file));
  return 0;
}

}  // namespace

void add_trust_command(CLI::App& app, Action& action) {
  auto workspace = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "trust", "Apply this project's paddock.toml and devcontainer.json from now on (after reviewing them)");
  cmd->add_option("-w,--workspace", *workspace, "The project (default: the enclosing git repository, else the cwd)");
  cmd->callback([workspace, &action] { action = [workspace] { return trust(*workspace); }; });
}

}  // namespace paddock::cli
