#include "cedar/est.hpp"

#include <fmt/core.h>

#include "cedar/diagnostics.hpp"
#include "cedar/json.hpp"
#include "cedar/parser.hpp"

namespace paddock::cedar {

using nlohmann::json;

namespace {

struct OpName {
  ExprKind kind;
  std::string_view name;
};

constexpr OpName kBinary[] = {
    {ExprKind::Eq, "=="},     {ExprKind::NotEq, "!="},  {ExprKind::In, "in"},        {ExprKind::Less, "<"},
    {ExprKind::LessEq, "<="}, {ExprKind::Greater, ">"}, {ExprKind::GreaterEq, ">="}, {ExprKind::And, "&&"},
    {ExprKind::Or, "||"},     {ExprKind::Add, "+"},     {ExprKind::Sub, "-"},        {ExprKind::Mul, "*"},
};

// Built-in methods with their own EST node ({"contains": {"left", "right"}}); the others are
// extension calls ({"isInRange": [a, b]}).
bool binary_method(Builtin b) {
  return b == Builtin::Contains || b == Builtin::ContainsAll || b == Builtin::ContainsAny || b == Builtin::GetTag ||
         b == Builtin::HasTag;
}

json scope_target_json(const ScopeConstraint& c) {
  if (c.slot) return json{{"slot", slot_name(*c.slot)}};
  return json{{"entity", uid_to_json(*c.entity)}};
}

json scope_to_json(const ScopeConstraint& c) {
  using Op = ScopeConstraint::Op;
  json out;
  switch (c.op) {
    case Op::Any:
      return json{{"op", "All"}};
    case Op::Eq:
      out = scope_target_json(c);
      out["op"] = "==";
      return out;
    case Op::In:
      out = scope_target_json(c);
      out["op"] = "in";
      return out;
    case Op::Is:
      return json{{"op", "is"}, {"entity_type", c.entity_type}};
    case Op::IsIn:
      return json{{"op", "is"}, {"entity_type", c.entity_type}, {"in", scope_target_json(c)}};
    case Op::InSet: {
      json entities = json::array();
      for (const EntityUid* u : c.entities) entities.push_back(uid_to_json(*u));
      return json{{"op", "in"}, {"entities", entities}};
    }
  }
  return nullptr;
}

}  // namespace

json expr_to_json(const Expr& e) {
  auto binary = [&](std::string_view op) {
    return json{{std::string(op), {{"left", expr_to_json(e.children[0])}, {"right", expr_to_json(e.children[1])}}}};
  };
  switch (e.kind) {
    case ExprKind::Literal: {
      json v = value_to_json(e.value);
      return json{{"Value", v}};
    }
    case ExprKind::Var:
      return json{{"Var", var_name(e.var)}};
    case ExprKind::Slot:
      return json{{"Slot", slot_name(e.slot)}};
    case ExprKind::Not:
      return json{{"!", {{"arg", expr_to_json(e.children[0])}}}};
    case ExprKind::Neg:
      return json{{"neg", {{"arg", expr_to_json(e.children[0])}}}};
    case ExprKind::If:
      return json{{"if-then-else",
                   {{"if", expr_to_json(e.children[0])},
                    {"then", expr_to_json(e.children[1])},
                    {"else", expr_to_json(e.children[2])}}}};
    case ExprKind::Has:
      return json{{"has", {{"left", expr_to_json(e.children[0])}, {"attr", e.name}}}};
    case ExprKind::GetAttr:
      return json{{".", {{"left", expr_to_json(e.children[0])}, {"attr", e.name}}}};
    case ExprKind::Like: {
      json pattern = json::array();
      for (const auto& p : e.pattern) {
        if (p.wildcard) {
          pattern.push_back("Wildcard");
        } else {
          pattern.push_back({{"Literal", p.literal}});
        }
      }
      return json{{"like", {{"left", expr_to_json(e.children[0])}, {"pattern", pattern}}}};
    }
    case ExprKind::Is: {
      json body{{"left", expr_to_json(e.children[0])}, {"entity_type", e.name}};
      if (e.children.size() > 1) body["in"] = expr_to_json(e.children[1]);
      return json{{"is", body}};
    }
    case ExprKind::Set: {
      json items = json::array();
      for (const auto& c : e.children) items.push_back(expr_to_json(c));
      return json{{"Set", items}};
    }
    case ExprKind::Record: {
      json fields = json::object();
      for (std::size_t i = 0; i < e.children.size(); ++i) fields[e.keys[i]] = expr_to_json(e.children[i]);
      return json{{"Record", fields}};
    }
    case ExprKind::Call: {
      const BuiltinInfo& info = builtin_info(e.builtin);
      if (e.builtin == Builtin::IsEmpty && e.children.size() == 1)
        return json{{"isEmpty", {{"arg", expr_to_json(e.children[0])}}}};
      if (binary_method(e.builtin) && e.children.size() == 2) return binary(info.name);
      json args = json::array();
      for (const auto& c : e.children) args.push_back(expr_to_json(c));
      return json{{std::string(info.name), args}};
    }
    default:
      for (const auto& op : kBinary)
        if (op.kind == e.kind) return binary(op.name);
  }
  return nullptr;
}

json policy_to_json(const PolicyAst& p) {
  json conditions = json::array();
  for (const auto& c : p.conditions)
    conditions.push_back({{"kind", c.is_when ? "when" : "unless"}, {"body", expr_to_json(c.body)}});
  json annotations = json::object();
  for (const auto& a : p.annotations) annotations[a.key] = a.value;
  json out{{"effect", p.effect == Effect::Permit ? "permit" : "forbid"},
           {"principal", scope_to_json(p.principal)},
           {"action", scope_to_json(p.action)},
           {"resource", scope_to_json(p.resource)},
           {"conditions", conditions}};
  if (!p.annotations.empty()) out["annotations"] = annotations;
  return out;
}

namespace {

[[noreturn]] void fail(const std::string& where, const std::string& message) {
  throw PolicyError(fmt::format("policy JSON {}: {}", where, message));
}

class EstReader {
 public:
  explicit EstReader(LiteralStore& store) : store_(store) {}

  Expr expr(const json& j, const std::string& where, std::size_t depth) {
    if (depth > kMaxNesting) fail(where, fmt::format("expression nested deeper than {} levels", kMaxNesting));
    if (!j.is_object() || j.size() != 1) fail(where, "expected an object with exactly one key naming the expression");
    // (Not `*j.items().begin()`: the key would refer into a destroyed temporary.)
    const std::string& key = j.begin().key();
    const json& body = j.begin().value();
    std::string at = where + "." + key;
    Expr e;
    auto child = [&](const json& b, const char* field) {
      if (!b.is_object() || !b.contains(field)) fail(at, fmt::format("missing \"{}\"", field));
      return expr(b[field], at + "." + field, depth + 1);
    };
    auto string_field = [&](const json& b, const char* field) {
      if (!b.is_object() || !b.contains(field) || !b[field].is_string())
        fail(at, fmt::format("missing string \"{}\"", field));
      return b[field].get<std::string>();
    };
    auto finish = [&](ExprKind kind, std::vector<Expr> children) {
      e.kind = kind;
      std::uint32_t h = 0;
      for (const auto& c : children) h = std::max(h, c.height);
      e.height = h + 1;
      e.children = std::move(children);
      return std::move(e);
    };
    if (key == "Value") {
      e.value = value_from_json(body, store_, at);
      return e;
    }
    if (key == "Var") {
      static constexpr std::pair<std::string_view, Var> kVars[] = {{"principal", Var::Principal},
                                                                   {"action", Var::Action},
                                                                   {"resource", Var::Resource},
                                                                   {"context", Var::Context}};
      for (const auto& [name, var] : kVars) {
        if (body == name) {
          e.kind = ExprKind::Var;
          e.var = var;
          return e;
        }
      }
      fail(at, "unknown variable");
    }
    if (key == "Slot") {
      e.kind = ExprKind::Slot;
      if (body == "?principal") {
        e.slot = SlotId::Principal;
      } else if (body == "?resource") {
        e.slot = SlotId::Resource;
      } else {
        fail(at, "unknown slot");
      }
      return e;
    }
    if (key == "!" || key == "neg") return finish(key == "!" ? ExprKind::Not : ExprKind::Neg, vec(child(body, "arg")));
    if (key == "isEmpty") {
      e.builtin = Builtin::IsEmpty;
      return finish(ExprKind::Call, vec(child(body, "arg")));
    }
    for (const auto& op : kBinary)
      if (key == op.name) return finish(op.kind, vec(child(body, "left"), child(body, "right")));
    if (key == "." || key == "has") {
      e.name = string_field(body, "attr");
      return finish(key == "." ? ExprKind::GetAttr : ExprKind::Has, vec(child(body, "left")));
    }
    if (key == "like") {
      if (!body.is_object() || !body.contains("pattern") || !body["pattern"].is_array())
        fail(at, "missing \"pattern\" array");
      for (const auto& elem : body["pattern"]) {
        if (elem == "Wildcard") {
          if (e.pattern.empty() || !e.pattern.back().wildcard) e.pattern.push_back(PatternPart{true, {}});
        } else if (elem.is_object() && elem.contains("Literal") && elem["Literal"].is_string()) {
          if (e.pattern.empty() || e.pattern.back().wildcard) e.pattern.push_back(PatternPart{false, {}});
          e.pattern.back().literal += elem["Literal"].get<std::string>();
        } else {
          fail(at, "pattern elements are \"Wildcard\" or {\"Literal\": \"text\"}");
        }
      }
      return finish(ExprKind::Like, vec(child(body, "left")));
    }
    if (key == "is") {
      e.name = string_field(body, "entity_type");
      if (!valid_type_name(e.name)) fail(at, fmt::format("`{}` is not an entity type name", e.name));
      if (body.contains("in")) return finish(ExprKind::Is, vec(child(body, "left"), child(body, "in")));
      return finish(ExprKind::Is, vec(child(body, "left")));
    }
    if (key == "if-then-else")
      return finish(ExprKind::If, vec(child(body, "if"), child(body, "then"), child(body, "else")));
    if (key == "Set") {
      if (!body.is_array()) fail(at, "expected an array");
      std::vector<Expr> items;
      for (std::size_t i = 0; i < body.size(); ++i)
        items.push_back(expr(body[i], fmt::format("{}[{}]", at, i), depth + 1));
      return finish(ExprKind::Set, std::move(items));
    }
    if (key == "Record") {
      if (!body.is_object()) fail(at, "expected an object");
      std::vector<Expr> values;
      for (const auto& [k, v] : body.items()) {
        e.keys.push_back(k);
        values.push_back(expr(v, at + "." + k, depth + 1));
      }
      return finish(ExprKind::Record, std::move(values));
    }
    if (const BuiltinInfo* info = find_builtin(key)) {
      std::vector<Expr> args;
      if (body.is_array()) {
        for (std::size_t i = 0; i < body.size(); ++i)
          args.push_back(expr(body[i], fmt::format("{}[{}]", at, i), depth + 1));
      } else if (body.is_object() && body.contains("left") && body.contains("right")) {
        args = vec(child(body, "left"), child(body, "right"));
      } else {
        fail(at, "expected an argument array");
      }
      if (!info->is_extension() && args.size() != info->arity)
        fail(at, fmt::format("`{}` takes {} operands", key, static_cast<int>(info->arity)));
      e.builtin = info->id;
      return finish(ExprKind::Call, std::move(args));
    }
    fail(at, fmt::format("unknown expression `{}`", key));
  }

  ScopeConstraint scope(const json& j, Var var, const std::string& where) {
    using Op = ScopeConstraint::Op;
    if (!j.is_object() || !j.contains("op") || !j["op"].is_string()) fail(where, "expected {\"op\": ...}");
    std::string op = j["op"].get<std::string>();
    ScopeConstraint c;
    auto target = [&](const json& t, const std::string& at) {
      if (t.contains("slot")) {
        std::string_view expected = var == Var::Principal ? "?principal" : var == Var::Resource ? "?resource" : "";
        if (t["slot"] != expected) fail(at, "this slot cannot appear here");
        c.slot = var == Var::Principal ? SlotId::Principal : SlotId::Resource;
      } else if (t.contains("entity")) {
        c.entity = checked_entity(t["entity"], var, at + ".entity");
      } else {
        fail(at, "expected \"entity\" or \"slot\"");
      }
    };
    if (op == "All") {
      c.op = Op::Any;
    } else if (op == "==") {
      c.op = Op::Eq;
      target(j, where);
    } else if (op == "in") {
      if (j.contains("entities")) {
        if (var != Var::Action || !j["entities"].is_array())
          fail(where, "only the action scope takes a list of entities");
        c.op = Op::InSet;
        for (std::size_t i = 0; i < j["entities"].size(); ++i)
          c.entities.push_back(checked_entity(j["entities"][i], var, fmt::format("{}.entities[{}]", where, i)));
      } else {
        c.op = Op::In;
        target(j, where);
      }
    } else if (op == "is" && var != Var::Action) {
      if (!j.contains("entity_type") || !j["entity_type"].is_string() ||
          !valid_type_name(j["entity_type"].get<std::string>()))
        fail(where, "expected an \"entity_type\"");
      c.entity_type = j["entity_type"].get<std::string>();
      c.op = Op::Is;
      if (j.contains("in")) {
        c.op = Op::IsIn;
        target(j["in"], where + ".in");
      }
    } else {
      fail(where, fmt::format("unknown scope operator `{}`", op));
    }
    return c;
  }

 private:
  template <class... E>
  static std::vector<Expr> vec(E&&... items) {
    std::vector<Expr> v;
    (v.push_back(std::forward<E>(items)), ...);
    return v;
  }

  const EntityUid* checked_entity(const json& j, Var var, const std::string& where) {
    EntityUid uid = uid_from_json(j, where);
    if (var == Var::Action && uid.type() != "Action" && !uid.type().ends_with("::Action"))
      fail(where, fmt::format("{} is not an action", uid.to_string()));
    return store_.keep(std::move(uid));
  }

  LiteralStore& store_;
};

}  // namespace

Expr expr_from_json(const json& j, LiteralStore& store) {
  return EstReader(store).expr(j, "body", 0);
}

PolicyAst policy_from_json(const json& j, LiteralStore& store) {
  if (!j.is_object()) fail("", "expected a policy object");
  EstReader reader(store);
  PolicyAst p;
  std::string effect = j.value("effect", "");
  if (effect != "permit" && effect != "forbid") fail("effect", "must be \"permit\" or \"forbid\"");
  p.effect = effect == "permit" ? Effect::Permit : Effect::Forbid;
  for (const char* key : {"principal", "action", "resource"})
    if (!j.contains(key)) fail(key, "missing");
  p.principal = reader.scope(j["principal"], Var::Principal, "principal");
  p.action = reader.scope(j["action"], Var::Action, "action");
  p.resource = reader.scope(j["resource"], Var::Resource, "resource");
  if (j.contains("conditions")) {
    const json& conditions = j["conditions"];
    if (!conditions.is_array()) fail("conditions", "expected an array");
    for (std::size_t i = 0; i < conditions.size(); ++i) {
      std::string where = fmt::format("conditions[{}]", i);
      const json& c = conditions[i];
      std::string kind = c.is_object() ? c.value("kind", "") : "";
      if (kind != "when" && kind != "unless") fail(where, "\"kind\" must be \"when\" or \"unless\"");
      if (!c.contains("body")) fail(where, "missing \"body\"");
      p.conditions.push_back(Condition{kind == "when", reader.expr(c["body"], where + ".body", 0), {}});
    }
  }
  if (j.contains("annotations")) {
    for (const auto& [key, value] : j["annotations"].items()) {
      if (!value.is_null() && !value.is_string()) fail("annotations." + key, "expected a string or null");
      p.annotations.push_back(Annotation{key, value.is_string() ? value.get<std::string>() : std::string(), {}});
    }
  }
  return p;
}

}  // namespace paddock::cedar
