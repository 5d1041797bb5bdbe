#include "policy/interception.hpp"

#include <algorithm>
#include <optional>

#include "policy/layers.hpp"
#include "policy/vocabulary.hpp"

namespace paddock::policy {
namespace {

using cedar::ExprKind;
using Op = cedar::ScopeConstraint::Op;

// The Host ids this host:port is or is in, without "*".
std::vector<std::string> host_names(std::string_view host, std::uint16_t port) {
  auto ids = host_ancestor_ids(host);
  ids.erase(std::remove(ids.begin(), ids.end(), "*"), ids.end());
  ids.push_back(host_id(host, port));
  return ids;
}

bool names(const cedar::EntityUid& uid, const std::vector<std::string>& ids) {
  return uid.type() == type::kHost && std::find(ids.begin(), ids.end(), uid.id()) != ids.end();
}

void host_values(const cedar::Value& v, std::vector<const cedar::EntityUid*>& out) {
  if (v.is(cedar::ValueType::Entity) && v.as_entity().type() == type::kHost) out.push_back(&v.as_entity());
  if (v.is(cedar::ValueType::Set))
    for (const auto& element : v.as_set()) host_values(element, out);
}

// Host entity literals anywhere in an expression (Leash's `resource in [Host::"a", ...]`, a
// set the parser folds into one constant).
void host_literals(const cedar::Expr& e, std::vector<const cedar::EntityUid*>& out) {
  if (e.kind == ExprKind::Literal) host_values(e.value, out);
  for (const auto& child : e.children) host_literals(child, out);
}

bool is_context_attribute(const cedar::Expr& e, std::string_view name) {
  return e.kind == ExprKind::GetAttr && e.name == name && !e.children.empty() && e.children[0].kind == ExprKind::Var &&
         e.children[0].var == cedar::Var::Context;
}

// `context.<name> == "literal"` (either way round) among the conjuncts of `e`.
std::optional<std::string> equality_with(const cedar::Expr& e, std::string_view name) {
  if (e.kind == ExprKind::And) {
    for (const auto& child : e.children)
      if (auto found = equality_with(child, name)) return found;
    return std::nullopt;
  }
  if (e.kind != ExprKind::Eq || e.children.size() != 2) return std::nullopt;
  for (int side = 0; side < 2; ++side) {
    const auto& attribute = e.children[side];
    const auto& literal = e.children[1 - side];
    if (is_context_attribute(attribute, name) && literal.kind == ExprKind::Literal &&
        literal.value.type() == cedar::ValueType::String)
      return std::string(literal.value.as_string());
  }
  return std::nullopt;
}

enum class Reach { none, host, every_host };

// Whether the policy's resource (scope, or Host literals in its conditions) may be this host.
Reach reach(const cedar::PolicyAst& ast, const std::vector<std::string>& ids) {
  const auto& scope = ast.resource;
  if ((scope.op == Op::Eq || scope.op == Op::In) && scope.entity != nullptr) {
    if (names(*scope.entity, ids)) return Reach::host;
    return scope.entity->type() == type::kHost && scope.entity->id() == "*" ? Reach::every_host : Reach::none;
  }
  if (scope.op != Op::Any && scope.op != Op::Is) return Reach::none;
  std::vector<const cedar::EntityUid*> literals;
  for (const auto& condition : ast.conditions) host_literals(condition.body, literals);
  if (literals.empty()) return Reach::every_host;
  return std::any_of(literals.begin(), literals.end(), [&](const cedar::EntityUid* uid) { return names(*uid, ids); })
             ? Reach::host
             : Reach::none;
}

}  // namespace

bool has_request_rules(const cedar::PolicySet& policies, std::string_view host, std::uint16_t port) {
  const auto ids = host_names(host, port);
  for (const auto& policy : policies.policies()) {
    std::vector<std::string> ignored;
    const auto actions = actions_of(policy.ast->action, ignored);
    const bool requests = actions.contains(std::string(action::kHttpRequest));
    const bool rewrites = actions.contains(std::string(action::kHttpRewrite));
    if (!requests && !rewrites) continue;
    const Reach r = reach(*policy.ast, ids);
    if (r == Reach::host) return true;
    // A forbid for every host must still be able to refuse; a permit for every host decides
    // nothing the connection's own decision did not.
    if (r == Reach::every_host && requests && policy.effect() == cedar::Effect::Forbid) return true;
  }
  return false;
}

std::vector<HeaderRewrite> rewrite_candidates(const cedar::PolicySet& policies, std::string_view host,
                                              std::uint16_t port) {
  const auto ids = host_names(host, port);
  std::vector<HeaderRewrite> out;
  for (const auto& policy : policies.policies()) {
    if (policy.effect() != cedar::Effect::Permit) continue;
    std::vector<std::string> ignored;
    if (!actions_of(policy.ast->action, ignored).contains(std::string(action::kHttpRewrite))) continue;
    if (reach(*policy.ast, ids) == Reach::none) continue;
    for (const auto& condition : policy.ast->conditions) {
      if (!condition.is_when) continue;
      auto header = equality_with(condition.body, "header");
      auto value = equality_with(condition.body, "value");
      if (header && value) out.push_back({std::move(*header), std::move(*value)});
    }
  }
  return out;
}

}  // namespace paddock::policy
