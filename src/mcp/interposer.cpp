#include "mcp/interposer.hpp"

#include <vector>

#include "cedar/json.hpp"

namespace paddock::mcp {

using nlohmann::json;

json blocked_result(const json& id, const std::string& text) {
  return {{"jsonrpc", "2.0"},
          {"id", id},
          {"result", {{"content", json::array({{{"type", "text"}, {"text", text}}})}, {"isError", true}}}};
}

Interposer::Relay Interposer::from_client(std::string_view line) {
  Relay out;
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return out;
  json message;
  try {
    // Duplicate keys are refused: the server's parser might keep the other one.
    message = cedar::parse_json_text(line, "the MCP client's message");
  } catch (const std::exception& e) {
    out.to_client = json{{"jsonrpc", "2.0"},
                         {"id", nullptr},
                         {"error", {{"code", -32700}, {"message", std::string("paddock: not passed on: ") + e.what()}}}}
                        .dump();
    return out;
  }
  if (message.is_array()) {  // a batch: each message on its own
    json forward = json::array(), answers = json::array();
    for (auto& m : message) {
      json answer;
      if (admit(m, answer))
        forward.push_back(std::move(m));
      else if (!answer.is_null())
        answers.push_back(std::move(answer));
    }
    if (!forward.empty()) out.to_server = forward.dump();
    if (!answers.empty()) out.to_client = answers.dump();
    return out;
  }
  json answer;
  if (admit(message, answer))
    out.to_server = message.dump();
  else if (!answer.is_null())
    out.to_client = answer.dump();
  return out;
}

bool Interposer::admit(const json& message, json& answer) {
  if (!message.is_object()) return true;  // not JSON-RPC: the server refuses it
  const auto method = message.find("method");
  if (method == message.end() || !method->is_string()) return true;  // a response to the server's request
  const auto& name = method->get_ref<const std::string&>();
  const auto id = message.find("id");
  if (name == "tools/list") {
    if (id != message.end()) {
      std::lock_guard lock(mutex_);
      pending_lists_.insert(id->dump());
    }
    return true;
  }
  if (name != "tools/call") return true;
  std::string tool;
  json arguments;
  if (const auto params = message.find("params"); params != message.end() && params->is_object()) {
    if (const auto n = params->find("name"); n != params->end() && n->is_string()) tool = n->get<std::string>();
    if (const auto a = params->find("arguments"); a != params->end()) arguments = *a;
  }
  const CallAnswer verdict = tool.empty() ? CallAnswer{false, "paddock: denied a tools/call without a tool name"}
                                          : decider_.call(server_, tool, arguments);
  if (verdict.allowed) return true;
  // A notification gets no answer, and is not passed on either.
  if (id != message.end()) answer = blocked_result(*id, verdict.message);
  return false;
}

std::string Interposer::from_server(std::string_view line) {
  json message;
  try {
    message = json::parse(line);
  } catch (const json::exception&) {
    return {};
  }
  bool changed = false;
  if (message.is_array()) {
    for (auto& m : message) changed = filter(m) || changed;
  } else {
    changed = filter(message);
  }
  return changed ? message.dump() : std::string(line);
}

bool Interposer::filter(json& message) {
  if (!message.is_object() || message.contains("method")) return false;  // the server's own request
  const auto id = message.find("id");
  if (id == message.end()) return false;
  {
    std::lock_guard lock(mutex_);
    const auto pending = pending_lists_.find(id->dump());
    if (pending == pending_lists_.end()) return false;
    pending_lists_.erase(pending);
  }
  const auto result = message.find("result");
  if (result == message.end() || !result->is_object()) return false;
  const auto tools = result->find("tools");
  if (tools == result->end() || !tools->is_array()) return false;
  auto name_of = [](const json& tool) -> const std::string* {
    if (!tool.is_object()) return nullptr;
    const auto n = tool.find("name");
    return n != tool.end() && n->is_string() ? &n->get_ref<const std::string&>() : nullptr;
  };
  std::vector<std::string> names;
  for (const auto& tool : *tools)
    if (const auto* name = name_of(tool)) names.push_back(*name);
  const std::set<std::string> visible = decider_.listed(server_, names);
  json kept = json::array();
  for (auto& tool : *tools)
    if (const auto* name = name_of(tool); name != nullptr && visible.contains(*name)) kept.push_back(std::move(tool));
  *tools = std::move(kept);
  return true;
}

}  // namespace paddock::mcp
