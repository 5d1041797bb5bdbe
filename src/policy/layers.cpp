#include "policy/layers.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "policy/vocabulary.hpp"

namespace paddock::policy {
namespace {

bool known_action(std::string_view name) {
  return std::any_of(std::begin(kActions), std::end(kActions), [&](const ActionInfo& a) { return a.name == name; });
}

}  // namespace

std::set<std::string> actions_of(const cedar::ScopeConstraint& scope, std::vector<std::string>& warnings) {
  using Op = cedar::ScopeConstraint::Op;
  std::set<std::string> out;
  auto add_in = [&](const cedar::EntityUid& uid) {
    for (const auto& a : kActions)
      if (a.name == uid.id() || a.parent == uid.id()) out.insert(std::string(a.name));
    if (!known_action(uid.id()))
      warnings.push_back(fmt::format("paddock never asks about {}: the policy has no effect there", uid.to_string()));
  };
  switch (scope.op) {
    case Op::Any:
      for (const auto& a : kActions) out.insert(std::string(a.name));
      break;
    case Op::Eq:
      if (scope.entity != nullptr) {
        if (scope.entity->id() == action::kFileOpen)
          warnings.push_back(
              "action == Action::\"FileOpen\" never matches: paddock asks FileOpenReadOnly or FileOpenReadWrite "
              "(both in FileOpen); write `action in Action::\"FileOpen\"`");
        else
          add_in(*scope.entity);
      }
      break;
    case Op::In:
      if (scope.entity != nullptr) add_in(*scope.entity);
      break;
    case Op::InSet:
      for (const auto* uid : scope.entities) add_in(*uid);
      break;
    default:
      break;
  }
  out.erase(std::string(action::kFileOpen));  // a group: never asked itself
  return out;
}

namespace {

void context_attributes(const cedar::Expr& e, std::set<std::string>& out) {
  if ((e.kind == cedar::ExprKind::GetAttr || e.kind == cedar::ExprKind::Has) && !e.children.empty() &&
      e.children[0].kind == cedar::ExprKind::Var && e.children[0].var == cedar::Var::Context)
    out.insert(e.name);
  for (const auto& child : e.children) context_attributes(child, out);
}

std::set<std::string> context_attributes(const cedar::Policy& policy) {
  std::set<std::string> out;
  for (const auto& c : policy.ast->conditions) context_attributes(c.body, out);
  return out;
}

bool applies_to_files(const std::set<std::string>& actions) {
  return actions.contains(std::string(action::kFileRead)) || actions.contains(std::string(action::kFileWrite));
}

}  // namespace

namespace {

// Whether `policy` applies to one of `actions` and its conditions read context.<attribute>.
bool condition_reads(const cedar::Policy& policy, std::initializer_list<std::string_view> actions,
                     std::string_view attribute) {
  std::vector<std::string> unused;
  const auto applies = actions_of(policy.ast->action, unused);
  return std::any_of(actions.begin(), actions.end(), [&](auto a) { return applies.contains(std::string(a)); }) &&
         context_attributes(policy).contains(std::string(attribute));
}

}  // namespace

bool has_file_path_condition(const cedar::Policy& policy) {
  return condition_reads(policy, {action::kFileRead, action::kFileWrite}, "path");
}

bool has_mcp_arguments_condition(const cedar::Policy& policy) {
  return condition_reads(policy, {action::kMcpCall}, "arguments");
}

std::string file_path_condition_note(const cedar::Policy& policy) {
  return fmt::format(
      "{} ({}): its condition on context.path applies only at the directories the kernel layers place, not to "
      "each file under them (paddock policy check); file events in the audit trail carry its answer (root runs)",
      policy.id, policy.location());
}

std::vector<PolicyLayers> describe_layers(const cedar::PolicySet& policies) {
  std::vector<PolicyLayers> out;
  for (const auto& policy : policies.policies()) {
    PolicyLayers p;
    p.id = policy.id;
    p.location = policy.location();
    auto actions = actions_of(policy.ast->action, p.warnings);
    p.actions.assign(actions.begin(), actions.end());
    const std::set<std::string> context = context_attributes(policy);
    auto uses_beyond = [&](std::initializer_list<std::string_view> allowed) {
      std::vector<std::string> extra;
      for (const auto& name : context)
        if (name != "sandbox" && name != "agent" && std::find(allowed.begin(), allowed.end(), name) == allowed.end())
          extra.push_back("context." + name);
      return extra;
    };
    auto joined = [](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
      return s;
    };

    if (applies_to_files(actions)) {
      p.layers.emplace_back(
          "file access: mounts and Landlock (kernel), fixed when the sandbox starts; observed: root runs record "
          "every file closed in the workspace and scratch trees with this policy's answer");
      if (has_file_path_condition(policy))
        p.warnings.push_back(
            "file access: the kernel layers decide the condition on context.path only at the directories they "
            "place (the profile's roots and the File and Dir entities policies name), not for each file under "
            "them; root runs record each file closed in the workspace and scratch trees with this policy's "
            "answer (audit kind file)");
      if (auto extra = uses_beyond({"path"}); !extra.empty())
        p.warnings.push_back(
            fmt::format("file access: the kernel layers see only the path, not {}; Cedar skips "
                        "the policy there (an evaluation error)",
                        joined(extra)));
    }
    if (actions.contains(std::string(action::kExec))) {
      if (auto extra = uses_beyond({"path"}); !extra.empty()) {
        p.layers.emplace_back("exec: the path by Landlock execute and mounts (kernel); " + joined(extra) +
                              " by the supervisor on every exec");
        p.warnings.push_back(
            "exec argument rules are best effort: a multi-threaded process can change its "
            "arguments after the supervisor checked them (DESIGN.md, threat model)");
      } else {
        p.layers.emplace_back("exec: Landlock execute and mounts (kernel), fixed when the sandbox starts");
      }
    }
    if (actions.contains(std::string(action::kConnect)))
      p.layers.emplace_back("network: the egress proxy, one decision per connection");
    if (actions.contains(std::string(action::kHttpRequest)))
      p.layers.emplace_back("HTTP: the egress proxy, per request on intercepted connections");
    if (actions.contains(std::string(action::kHttpRewrite)))
      p.layers.emplace_back("HTTP rewrite: the egress proxy, on intercepted connections");
    if (actions.contains(std::string(action::kUseSecret)))
      p.layers.emplace_back("credentials: the egress proxy injects them on intercepted connections");
    if (actions.contains(std::string(action::kMcpCall))) {
      p.layers.emplace_back(
          "MCP: the MCP interposer, best effort (stdio servers started through `paddock mcp wrap`; the "
          "supervisor decides each tools/call)");
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace paddock::policy
