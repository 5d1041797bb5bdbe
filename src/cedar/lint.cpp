#include "cedar/lint.hpp"

#include <fmt/core.h>

#include "cedar/extensions.hpp"

namespace paddock::cedar {

namespace {

void warn(std::vector<Diagnostic>& out, const PolicyAst& p, SourceSpan span, std::string message, std::string hint) {
  out.push_back(Diagnostic{Diagnostic::Severity::Warning, std::move(message), std::move(hint), p.source, span});
}

void check_expr(const Expr& e, const PolicyAst& p, std::vector<Diagnostic>& out) {
  for (const auto& c : e.children) check_expr(c, p, out);
  if (e.kind != ExprKind::Call || e.children.size() != 1 || e.children[0].kind != ExprKind::Literal) return;
  const Value& arg = e.children[0].value;
  if (!arg.is(ValueType::String)) return;
  std::string_view text = arg.as_string();
  bool valid = true;
  std::string_view example;
  switch (e.builtin) {
    case Builtin::Ip:
      valid = parse_ip(text).has_value();
      example = "ip(\"10.0.0.0/8\") or ip(\"::1\")";
      break;
    case Builtin::Decimal:
      valid = parse_decimal(text).has_value();
      example = "decimal(\"1.25\") (1 to 4 decimals)";
      break;
    case Builtin::Datetime:
      valid = parse_datetime(text).has_value();
      example = "datetime(\"2024-10-15T11:35:00Z\")";
      break;
    case Builtin::Duration:
      valid = parse_duration(text).has_value();
      example = "duration(\"1h30m\")";
      break;
    default:
      return;
  }
  if (!valid) {
    warn(out, p, e.span,
         fmt::format("{}({}) is not a valid value: this policy errors whenever it gets here and is skipped",
                     builtin_info(e.builtin).name, quote_string(text)),
         fmt::format("write e.g. {}", example));
  }
}

}  // namespace

std::vector<Diagnostic> lint(const PolicyAst& p) {
  std::vector<Diagnostic> out;
  bool unconstrained = p.principal.op == ScopeConstraint::Op::Any && p.action.op == ScopeConstraint::Op::Any &&
                       p.resource.op == ScopeConstraint::Op::Any;
  if (unconstrained && p.conditions.empty()) {
    warn(out, p, p.span,
         fmt::format("this policy {} every request", p.effect == Effect::Permit ? "permits" : "forbids"),
         "constrain the principal, action or resource, or add a when clause");
  }
  for (const auto& c : p.conditions) {
    if (c.body.kind == ExprKind::Literal && !c.body.value.is(ValueType::Bool)) {
      warn(out, p, c.body.span,
           fmt::format("the condition is a {}, not a bool: the policy always errors", type_name(c.body.value.type())),
           "conditions must evaluate to true or false");
    }
    check_expr(c.body, p, out);
  }
  return out;
}

}  // namespace paddock::cedar
