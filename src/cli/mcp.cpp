// `paddock mcp wrap --server NAME -- CMD ARGS...`: runs a stdio MCP server behind the MCP
// interposer (src/mcp). Meant for the agent's MCP configuration inside a sandbox, where
// /run/paddock/bin is on PATH: {"command": "paddock", "args": ["mcp", "wrap", "--server",
// "fs", "--", "npx", "@modelcontextprotocol/server-filesystem", "."]}. Each tools/call is
// decided by the supervisor, outside the sandbox, through the socket PADDOCK_MCP names.
#include <cstdlib>
#include <memory>

#include "cli/command.hpp"
#include "common/error.hpp"
#include "common/files.hpp"
#include "mcp/decision_client.hpp"
#include "mcp/decision_protocol.hpp"
#include "mcp/interposer.hpp"
#include "mcp/stdio_wrapper.hpp"
#include "sandbox/layout.hpp"

namespace paddock::cli {
namespace {

struct WrapOptions {
  std::string server;
  std::vector<std::string> command;
};

// PADDOCK_MCP, or the sandbox's own socket when this is the paddock a sandbox carries: MCP
// clients often start servers with a few variables only (the MCP SDK keeps HOME, PATH and a
// handful), so the variable may not arrive.
std::string decision_endpoint() {
  if (const char* endpoint = std::getenv(mcp::kDecisionVariable); endpoint != nullptr && *endpoint != '\0')
    return endpoint;
  if (self_executable() == sandbox::kSandboxBinary) return "127.0.0.1:" + std::to_string(mcp::kDecisionPort);
  throw Error(std::string("paddock mcp wrap: not inside a paddock sandbox (") + mcp::kDecisionVariable +
                  " is not set): run the agent with `paddock run`, whose supervisor decides each tool call",
              kExitUsage);
}

int wrap(const WrapOptions& options) {
  mcp::DecisionClient decider(decision_endpoint());
  mcp::Interposer interposer(options.server, decider);
  return mcp::relay_stdio_server(options.command, interposer);
}

}  // namespace

void add_mcp_command(CLI::App& app, Action& action, const CommandTail& tail) {
  auto* mcp = app.add_subcommand("mcp", "The MCP interposer");
  mcp->require_subcommand(1);
  auto options = std::make_shared<WrapOptions>();
  auto* cmd = mcp->add_subcommand("wrap", "Run a stdio MCP server whose tool calls the policy decides (McpCall)");
  cmd->add_option("--server", options->server, "The server's name in policies (MCP::Server::\"NAME\")")->required();
  cmd->add_option("command", options->command, "The server's command and its arguments (after --)")->required();
  cmd->positionals_at_end();
  cmd->callback([options, &action, &tail] {
    options->command = tail.or_parsed(options->command);
    action = [options] { return wrap(*options); };
  });
}

}  // namespace paddock::cli
