#include "cedar/format.hpp"

#include <fmt/core.h>

#include "cedar/lexer.hpp"
#include "cedar/parser.hpp"

namespace paddock::cedar {

namespace {

// Binding strength, loosest first (the grammar's levels).
enum Prec : int { kIf = 0, kOr, kAnd, kRel, kAdd, kMul, kUnary, kMember, kPrimary };

int precedence(const Expr& e) {
  switch (e.kind) {
    case ExprKind::If:
      return kIf;
    case ExprKind::Or:
      return kOr;
    case ExprKind::And:
      return kAnd;
    case ExprKind::Eq:
    case ExprKind::NotEq:
    case ExprKind::Less:
    case ExprKind::LessEq:
    case ExprKind::Greater:
    case ExprKind::GreaterEq:
    case ExprKind::In:
    case ExprKind::Has:
    case ExprKind::Like:
    case ExprKind::Is:
      return kRel;
    case ExprKind::Add:
    case ExprKind::Sub:
      return kAdd;
    case ExprKind::Mul:
      return kMul;
    case ExprKind::Not:
    case ExprKind::Neg:
      return kUnary;
    case ExprKind::GetAttr:
      return kMember;
    case ExprKind::Call:
      return builtin_info(e.builtin).method ? kMember : kPrimary;
    case ExprKind::Literal:
      return e.value.is(ValueType::Long) && e.value.as_int() < 0 ? kUnary : kPrimary;
    default:
      return kPrimary;
  }
}

bool is_identifier(std::string_view s) {
  if (s.empty() || is_reserved(s)) return false;
  if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_')) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

std::string pattern_text(const std::vector<PatternPart>& parts) {
  std::string out = "\"";
  for (const auto& p : parts) {
    if (p.wildcard) {
      out += '*';
      continue;
    }
    std::string q = quote_string(p.literal);
    for (char c : std::string_view(q).substr(1, q.size() - 2)) out += c == '*' ? std::string("\\*") : std::string(1, c);
  }
  return out + "\"";
}

std::string_view binary_op(ExprKind k) {
  switch (k) {
    case ExprKind::Or:
      return "||";
    case ExprKind::And:
      return "&&";
    case ExprKind::Eq:
      return "==";
    case ExprKind::NotEq:
      return "!=";
    case ExprKind::Less:
      return "<";
    case ExprKind::LessEq:
      return "<=";
    case ExprKind::Greater:
      return ">";
    case ExprKind::GreaterEq:
      return ">=";
    case ExprKind::In:
      return "in";
    case ExprKind::Add:
      return "+";
    case ExprKind::Sub:
      return "-";
    case ExprKind::Mul:
      return "*";
    default:
      return "?";
  }
}

std::string print(const Expr& e, int min_prec);

std::string print_list(const std::vector<Expr>& items, std::size_t from = 0) {
  std::string out;
  for (std::size_t i = from; i < items.size(); ++i) out += (i > from ? ", " : "") + print(items[i], kIf);
  return out;
}

std::string print_unwrapped(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Literal:
      return to_cedar(e.value);
    case ExprKind::Var:
      return std::string(var_name(e.var));
    case ExprKind::Slot:
      return std::string(slot_name(e.slot));
    case ExprKind::Not:
    case ExprKind::Neg: {
      // Chains of the same operator need no parentheses (the grammar allows up to four).
      const Expr& child = e.children[0];
      bool chain =
          child.kind == e.kind && (child.children[0].kind != e.kind || child.children[0].children[0].kind != e.kind);
      std::string inner = chain ? print_unwrapped(child) : print(child, kMember);
      // "- -1", not "--1", keeps a negated negative literal readable.
      bool space = e.kind == ExprKind::Neg && !inner.empty() && inner[0] == '-';
      return std::string(e.kind == ExprKind::Not ? "!" : "-") + (space ? " " : "") + inner;
    }
    case ExprKind::If:
      return fmt::format("if {} then {} else {}", print(e.children[0], kIf), print(e.children[1], kIf),
                         print(e.children[2], kIf));
    case ExprKind::Or:
    case ExprKind::And:
    case ExprKind::Add:
    case ExprKind::Sub:
    case ExprKind::Mul: {
      int p = precedence(e);
      return fmt::format("{} {} {}", print(e.children[0], p), binary_op(e.kind), print(e.children[1], p + 1));
    }
    case ExprKind::Eq:
    case ExprKind::NotEq:
    case ExprKind::Less:
    case ExprKind::LessEq:
    case ExprKind::Greater:
    case ExprKind::GreaterEq:
    case ExprKind::In:
      return fmt::format("{} {} {}", print(e.children[0], kAdd), binary_op(e.kind), print(e.children[1], kAdd));
    case ExprKind::Has:
      return fmt::format("{} has {}", print(e.children[0], kAdd),
                         is_identifier(e.name) ? e.name : quote_string(e.name));
    case ExprKind::Like:
      return fmt::format("{} like {}", print(e.children[0], kAdd), pattern_text(e.pattern));
    case ExprKind::Is: {
      std::string out = fmt::format("{} is {}", print(e.children[0], kAdd), e.name);
      if (e.children.size() > 1) out += " in " + print(e.children[1], kAdd);
      return out;
    }
    case ExprKind::GetAttr: {
      std::string target = print(e.children[0], kMember);
      return is_identifier(e.name) ? target + "." + e.name : target + "[" + quote_string(e.name) + "]";
    }
    case ExprKind::Set:
      return "[" + print_list(e.children) + "]";
    case ExprKind::Record: {
      std::string out = "{";
      for (std::size_t i = 0; i < e.children.size(); ++i) {
        const std::string& k = e.keys[i];
        out +=
            fmt::format("{}{}: {}", i ? ", " : "", is_identifier(k) ? k : quote_string(k), print(e.children[i], kIf));
      }
      return out + "}";
    }
    case ExprKind::Call: {
      const BuiltinInfo& info = builtin_info(e.builtin);
      if (!info.method) return fmt::format("{}({})", info.name, print_list(e.children));
      return fmt::format("{}.{}({})", print(e.children[0], kMember), info.name, print_list(e.children, 1));
    }
  }
  return "?";
}

std::string print(const Expr& e, int min_prec) {
  std::string s = print_unwrapped(e);
  return precedence(e) < min_prec ? "(" + s + ")" : s;
}

std::string scope_target(const ScopeConstraint& c) {
  if (c.slot) return std::string(slot_name(*c.slot));
  return c.entity ? c.entity->to_string() : "?";
}

}  // namespace

std::string format_expr(const Expr& e) {
  return print(e, kIf);
}

std::string format_scope(const ScopeConstraint& c, Var var) {
  std::string v(var_name(var));
  using Op = ScopeConstraint::Op;
  switch (c.op) {
    case Op::Any:
      return v;
    case Op::Eq:
      return v + " == " + scope_target(c);
    case Op::In:
      return v + " in " + scope_target(c);
    case Op::Is:
      return v + " is " + c.entity_type;
    case Op::IsIn:
      return v + " is " + c.entity_type + " in " + scope_target(c);
    case Op::InSet: {
      std::string out = v + " in [";
      for (std::size_t i = 0; i < c.entities.size(); ++i) out += (i ? ", " : "") + c.entities[i]->to_string();
      return out + "]";
    }
  }
  return v;
}

std::string format_policy(const PolicyAst& p) {
  std::string out;
  for (const auto& a : p.annotations) out += fmt::format("@{}({})\n", a.key, quote_string(a.value));
  out += fmt::format("{} (\n  {},\n  {},\n  {}\n)", p.effect == Effect::Permit ? "permit" : "forbid",
                     format_scope(p.principal, Var::Principal), format_scope(p.action, Var::Action),
                     format_scope(p.resource, Var::Resource));
  for (const auto& c : p.conditions)
    out += fmt::format("\n{} {{ {} }}", c.is_when ? "when" : "unless", format_expr(c.body));
  return out + ";\n";
}

namespace {

// The `//` comments in text[begin, end): they sit in the gaps between tokens.
std::vector<std::string_view> comments_between(std::string_view text, const std::vector<Token>& tokens,
                                               std::size_t begin, std::size_t end) {
  std::vector<std::string_view> out;
  std::size_t gap_start = 0;
  for (const Token& t : tokens) {
    std::size_t a = std::max(gap_start, begin);
    std::size_t b = std::min<std::size_t>(t.span.begin, end);
    for (std::size_t i = a; i + 1 < b; ++i) {
      if (text[i] != '/' || text[i + 1] != '/') continue;
      std::size_t e = std::min(text.find('\n', i), b);
      out.push_back(text.substr(i, e - i));
      i = e;
    }
    gap_start = t.span.end;
    if (t.span.begin >= end) break;
  }
  return out;
}

}  // namespace

std::string format_policies(const std::string& source_text, const std::vector<PolicyAst>& policies) {
  std::vector<Token> tokens = tokenize(source_text);
  std::string out;
  std::size_t previous_end = 0;
  for (const auto& p : policies) {
    if (!out.empty()) out += "\n";
    for (auto c : comments_between(source_text, tokens, previous_end, p.span.begin)) out += std::string(c) + "\n";
    if (!comments_between(source_text, tokens, p.span.begin, p.span.end).empty()) {
      out += source_text.substr(p.span.begin, p.span.end - p.span.begin) + "\n";
    } else {
      out += format_policy(p);
    }
    previous_end = p.span.end;
  }
  auto trailing = comments_between(source_text, tokens, previous_end, source_text.size());
  if (!trailing.empty() && !out.empty()) out += "\n";
  for (auto c : trailing) out += std::string(c) + "\n";
  return out;
}

}  // namespace paddock::cedar
