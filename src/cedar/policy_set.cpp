#include "cedar/policy_set.hpp"

#include <fmt/core.h>

#include "cedar/est.hpp"
#include "cedar/json.hpp"
#include "cedar/parser.hpp"

namespace paddock::cedar {

std::string Policy::location() const {
  if (!ast || !ast->source) return id;
  auto lc = line_column(ast->source->text, ast->span.begin);
  return fmt::format("{}:{}", ast->source->name, lc.line);
}

const Policy* PolicySet::find(std::string_view id) const noexcept {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &policies_[it->second];
}

PolicySetBuilder::PolicySetBuilder(PolicyIds ids) : ids_(ids) {}

std::string PolicySetBuilder::next_id(const PolicyAst& ast) {
  std::string positional = fmt::format("policy{}", positional_++);
  if (ids_ == PolicyIds::Annotations) {
    if (const Annotation* a = ast.annotation("id"); a && !a->value.empty()) return a->value;
  }
  return positional;
}

void PolicySetBuilder::check_new_id(const std::string& id) const {
  bool taken = templates_.count(id) > 0;
  for (const auto& p : policies_) taken = taken || p.id == id;
  if (taken) throw PolicyError(fmt::format("duplicate policy id `{}`", id));
}

std::vector<Diagnostic> PolicySetBuilder::add_text(std::string name, std::string text) {
  auto source = std::make_shared<const Source>(Source{std::move(name), std::move(text)});
  ParsedPolicies parsed = parse_policies(source, *store_);
  if (has_errors(parsed.diagnostics)) return std::move(parsed.diagnostics);
  for (auto& ast : parsed.policies) {
    std::string id = next_id(ast);
    SourceSpan span = ast.span;
    try {
      if (ast.is_template()) {
        add_template(std::move(id), std::move(ast));
      } else {
        add_policy(std::move(id), std::move(ast));
      }
    } catch (const PolicyError& e) {
      parsed.diagnostics.push_back(Diagnostic{Diagnostic::Severity::Error, e.what(),
                                              "ids must be unique across all policy files", source, span});
    }
  }
  return std::move(parsed.diagnostics);
}

void PolicySetBuilder::add_text_or_throw(std::string name, std::string text) {
  auto diagnostics = add_text(std::move(name), std::move(text));
  if (has_errors(diagnostics)) throw PolicyError(std::move(diagnostics));
}

void PolicySetBuilder::add_json(const nlohmann::json& j) {
  auto add_one = [&](std::string id, const nlohmann::json& policy) {
    PolicyAst ast = policy_from_json(policy, *store_);
    if (id.empty()) id = next_id(ast);
    if (ast.is_template()) {
      add_template(std::move(id), std::move(ast));
    } else {
      add_policy(std::move(id), std::move(ast));
    }
  };
  if (j.is_array()) {
    for (const auto& p : j) add_one({}, p);
    return;
  }
  if (!j.is_object()) throw PolicyError("policy JSON: expected a policy, an array of policies or a policy set");
  if (!j.contains("staticPolicies") && !j.contains("templates")) return add_one({}, j);
  for (const char* part : {"staticPolicies", "templates"})
    if (j.contains(part))
      for (const auto& [id, policy] : j[part].items()) add_one(id, policy);
  for (const auto& link : j.value("templateLinks", nlohmann::json::array())) {
    std::optional<EntityUid> principal, resource;
    const auto& values = link.at("values");
    if (values.contains("?principal")) principal = uid_from_json(values["?principal"], "?principal");
    if (values.contains("?resource")) resource = uid_from_json(values["?resource"], "?resource");
    this->link(link.at("templateId").get<std::string>(), link.at("newId").get<std::string>(), principal, resource);
  }
}

void PolicySetBuilder::add_policy(std::string id, PolicyAst ast) {
  check_new_id(id);
  if (ast.is_template()) throw PolicyError(fmt::format("policy `{}` has slots: add it as a template", id));
  for (auto& c : ast.conditions) fold_constants(c.body, *store_);
  Policy p;
  p.id = std::move(id);
  p.ast = std::make_shared<const PolicyAst>(std::move(ast));
  policies_.push_back(std::move(p));
}

void PolicySetBuilder::add_template(std::string id, PolicyAst ast) {
  check_new_id(id);
  for (auto& c : ast.conditions) fold_constants(c.body, *store_);
  templates_.emplace(std::move(id), std::make_shared<const PolicyAst>(std::move(ast)));
}

std::vector<Diagnostic> PolicySetBuilder::add_template_text(std::string id, std::string name, std::string text) {
  auto source = std::make_shared<const Source>(Source{std::move(name), std::move(text)});
  ParsedPolicies parsed = parse_policies(source, *store_);
  if (has_errors(parsed.diagnostics)) return std::move(parsed.diagnostics);
  if (parsed.policies.size() != 1) {
    parsed.diagnostics.push_back(Diagnostic{
        Diagnostic::Severity::Error, fmt::format("template `{}` must be exactly one policy", id), {}, source, {}});
    return std::move(parsed.diagnostics);
  }
  add_template(std::move(id), std::move(parsed.policies.front()));
  return std::move(parsed.diagnostics);
}

void PolicySetBuilder::link(const std::string& template_id, std::string new_id, std::optional<EntityUid> principal,
                            std::optional<EntityUid> resource) {
  auto it = templates_.find(template_id);
  if (it == templates_.end()) throw PolicyError(fmt::format("no template with id `{}`", template_id));
  check_new_id(new_id);
  const PolicyAst& t = *it->second;
  auto slot_value = [&](bool wanted, std::optional<EntityUid>& value, std::string_view slot) -> const EntityUid* {
    if (wanted && !value)
      throw PolicyError(fmt::format("linking `{}`: template `{}` needs a value for {}", new_id, template_id, slot));
    if (!wanted && value)
      throw PolicyError(fmt::format("linking `{}`: template `{}` has no slot {}", new_id, template_id, slot));
    return value ? store_->keep(std::move(*value)) : nullptr;
  };
  Policy p;
  p.slots.principal = slot_value(t.principal.slot.has_value(), principal, "?principal");
  p.slots.resource = slot_value(t.resource.slot.has_value(), resource, "?resource");
  p.id = std::move(new_id);
  p.ast = it->second;
  p.template_id = template_id;
  policies_.push_back(std::move(p));
}

std::shared_ptr<const PolicySet> PolicySetBuilder::build() {
  auto set = std::shared_ptr<PolicySet>(new PolicySet());
  set->policies_ = std::move(policies_);
  set->templates_ = std::move(templates_);
  set->store_ = store_;
  for (std::size_t i = 0; i < set->policies_.size(); ++i) {
    const Policy& p = set->policies_[i];
    if (!set->by_id_.emplace(p.id, i).second) throw PolicyError(fmt::format("duplicate policy id `{}`", p.id));
    const ScopeConstraint& action = p.ast->action;
    const ScopeConstraint& resource = p.ast->resource;
    const EntityUid* resource_key = resource.slot ? p.slots.resource : resource.entity;
    if (resource.op == ScopeConstraint::Op::Any || resource.op == ScopeConstraint::Op::Is) resource_key = nullptr;
    auto add = [&](PolicySet::ResourceIndex& index) {
      if (resource_key) {
        auto& list = index.by_resource[resource_key];
        if (list.empty() || list.back() != i) list.push_back(static_cast<std::uint32_t>(i));
      } else {
        index.any_resource.push_back(static_cast<std::uint32_t>(i));
      }
    };
    switch (action.op) {
      case ScopeConstraint::Op::Eq:
      case ScopeConstraint::Op::In:
        add(set->by_action_[action.entity]);
        break;
      case ScopeConstraint::Op::InSet:
        for (const EntityUid* a : action.entities) add(set->by_action_[a]);
        break;
      default:
        add(set->any_action_);
        break;
    }
  }
  return set;
}

namespace {

bool is_literal(const Expr& e) {
  return e.kind == ExprKind::Literal;
}

}  // namespace

void fold_constants(Expr& e, LiteralStore& store) {
  for (auto& c : e.children) fold_constants(c, store);
  // Tags depend on the entities of the request, everything else here only on the operands.
  bool reads_entities = e.kind == ExprKind::Call && (e.builtin == Builtin::GetTag || e.builtin == Builtin::HasTag);
  bool foldable =
      (e.kind == ExprKind::Set || e.kind == ExprKind::Record || e.kind == ExprKind::Call) && !reads_entities;
  if (!foldable || !std::all_of(e.children.begin(), e.children.end(), is_literal)) return;
  static const EmptyEntities kNoEntities;
  Request request;
  Arena scratch;
  Evaluator evaluator(request, kNoEntities, scratch);
  Value v;
  if (!evaluator.eval(e, v)) return;  // e.g. ip("nonsense"): the error belongs to evaluation time
  // Entity UIDs inside already live in `store` (they come from literals parsed into it).
  e.value = copy_value(v, store.arena, [](const EntityUid& uid) { return &uid; });
  e.kind = ExprKind::Literal;
  e.children.clear();
  e.keys.clear();
  e.height = 1;
}

}  // namespace paddock::cedar
