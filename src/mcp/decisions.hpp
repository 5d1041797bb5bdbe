// The supervisor's side of the MCP decision socket: the policy's McpCall answers to the
// interposers in its sandbox, each tools/call (and each tool a tools/list hides) recorded in
// the audit trail as an "mcp.call" event, each refusal shown as one denial line.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/event.hpp"
#include "policy/engine.hpp"

namespace paddock::mcp {

class McpDecisions {
 public:
  using Print = std::function<void(const std::string&)>;
  McpDecisions(policy::PolicyEngine& engine, audit::Sink& sink, Print print)
      : engine_(engine), sink_(sink), print_(std::move(print)) {}

  // One request line (decision_protocol.hpp) -> the reply line, without '\n'.
  std::string answer(std::string_view line);

  // Calls: the verdict and the text a blocked reply carries.
  nlohmann::json call(const std::string& server, const std::string& tool, const nlohmann::json& arguments);
  // Lists: a tool is hidden when the policy refuses it with empty arguments, unless a policy
  // that looks at context.arguments could decide otherwise for some call (then it stays).
  nlohmann::json list(const std::string& server, const std::vector<std::string>& tools);

 private:
  policy::PolicyEngine& engine_;
  audit::Sink& sink_;
  Print print_;
};

}  // namespace paddock::mcp
