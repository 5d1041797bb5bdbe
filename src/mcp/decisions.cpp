#include "mcp/decisions.hpp"

#include <algorithm>

#include "mcp/arguments.hpp"
#include "policy/denials.hpp"
#include "policy/layers.hpp"

namespace paddock::mcp {
namespace {

using nlohmann::json;

constexpr std::size_t kRecordedArgumentBytes = 4096;

std::string recorded_arguments(const json& arguments) {
  std::string text = arguments.is_null() ? "{}" : arguments.dump();
  if (text.size() > kRecordedArgumentBytes) text = text.substr(0, kRecordedArgumentBytes) + "...";
  return text;
}

std::string allow_command(const std::string& server, const std::string& tool) {
  return "paddock allow mcp " + server + "/" + tool;
}

}  // namespace

std::string McpDecisions::answer(std::string_view line) {
  try {
    const json request = json::parse(line);
    const std::string method = request.at("method").get<std::string>();
    const std::string server = request.at("server").get<std::string>();
    if (method == "tools/call")
      return call(server, request.at("tool").get<std::string>(), request.value("arguments", json())).dump();
    if (method == "tools/list") return list(server, request.at("tools").get<std::vector<std::string>>()).dump();
    return json{{"error", "unknown method " + method}}.dump();
  } catch (const json::exception& e) {
    return json{{"error", std::string("not a decision request: ") + e.what()}}.dump();
  }
}

json McpDecisions::call(const std::string& server, const std::string& tool, const json& arguments) {
  const auto verdict = engine_.mcp_call(server, tool, arguments_value(arguments, engine_.scratch()));
  sink_.record(
      {0, audit::McpCall{server, "tools/call", tool, recorded_arguments(arguments), policy::to_decision(verdict)}});
  if (verdict.allowed) return {{"allowed", true}};
  const std::string line =
      policy::denial_line("MCP tool " + tool + " of server " + server, verdict, allow_command(server, tool));
  print_(line);
  return {{"allowed", false}, {"message", line}};
}

json McpDecisions::list(const std::string& server, const std::vector<std::string>& tools) {
  std::vector<const cedar::Policy*> reading_arguments;
  for (const auto& policy : engine_.policies().policies())
    if (policy::has_mcp_arguments_condition(policy)) reading_arguments.push_back(&policy);
  // Whether a call's arguments could change a refusal asked with empty arguments: a forbid that
  // decided reads them, or (for the default deny) a permit that reads them might apply.
  auto arguments_could_allow = [&](const policy::Verdict& verdict) {
    return std::any_of(reading_arguments.begin(), reading_arguments.end(), [&](const cedar::Policy* policy) {
      if (verdict.policies.empty()) return policy->effect() == cedar::Effect::Permit;
      return std::any_of(verdict.policies.begin(), verdict.policies.end(),
                         [&](const policy::PolicyRef& ref) { return ref.id == policy->id; });
    });
  };
  json listed = json::array();
  for (const auto& tool : tools) {
    const auto verdict = engine_.mcp_call(server, tool, cedar::Value::record({}));
    if (verdict.allowed || arguments_could_allow(verdict)) {
      listed.push_back(tool);
      continue;
    }
    sink_.record(
        {0, audit::McpCall{server, "tools/list", tool, "", policy::to_decision(verdict, "hidden from tools/list")}});
  }
  return {{"listed", std::move(listed)}};
}

}  // namespace paddock::mcp
