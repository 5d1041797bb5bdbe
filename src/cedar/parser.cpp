#include "cedar/parser.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>

#include "cedar/lexer.hpp"

namespace paddock::cedar {

__extension__ using Int128 = __int128;
__extension__ using UInt128 = unsigned __int128;

bool is_reserved(std::string_view word) noexcept {
  static constexpr std::array<std::string_view, 10> kReserved = {"true", "false", "if",  "then", "else",
                                                                 "in",   "like",  "has", "is",   "__cedar"};
  return std::find(kReserved.begin(), kReserved.end(), word) != kReserved.end();
}

bool valid_type_name(std::string_view name) noexcept {
  if (name.empty()) return false;
  while (true) {
    std::size_t end = name.find("::");
    std::string_view part = name.substr(0, end);
    if (part.empty() || is_reserved(part)) return false;
    if (!((part[0] >= 'a' && part[0] <= 'z') || (part[0] >= 'A' && part[0] <= 'Z') || part[0] == '_')) return false;
    for (char c : part)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
    if (end == std::string_view::npos) return true;
    name.remove_prefix(end + 2);
  }
}

namespace {

// Unwinds the policy being parsed; parse_policies turns it into a diagnostic and resumes.
struct SyntaxError {
  SourceSpan span;
  std::string message;
  std::string hint;
};

class Parser {
 public:
  Parser(const std::shared_ptr<const Source>& source, LiteralStore& store)
      : source_(source), store_(store), tokens_(tokenize(source->text)) {}

  ParsedPolicies parse_all() {
    ParsedPolicies out;
    while (peek().kind != Tok::End) {
      std::size_t start = pos_;
      try {
        out.policies.push_back(parse_policy());
      } catch (const SyntaxError& e) {
        out.diagnostics.push_back(Diagnostic{Diagnostic::Severity::Error, e.message, e.hint, source_, e.span});
        // Resynchronise after the next `;` (at least one token further, so this terminates).
        if (pos_ == start) ++pos_;
        while (peek().kind != Tok::End && tokens_[pos_ - 1].kind != Tok::Semi) ++pos_;
      }
    }
    return out;
  }

  std::optional<Expr> parse_single(std::vector<Diagnostic>& diagnostics) {
    try {
      Expr e = parse_expr();
      if (peek().kind != Tok::End)
        fail(peek().span, fmt::format("unexpected {} after the expression", describe(peek())));
      return e;
    } catch (const SyntaxError& e) {
      diagnostics.push_back(Diagnostic{Diagnostic::Severity::Error, e.message, e.hint, source_, e.span});
      return std::nullopt;
    }
  }

  // `Type::"id"` and nothing else.
  std::optional<EntityUid> parse_uid_only(std::string* error) {
    try {
      if (peek().kind != Tok::Ident) fail(peek().span, "expected an entity UID like User::\"alice\"");
      Token first = next();
      const EntityUid* uid = parse_entity_after(first);
      if (peek().kind != Tok::End) fail(peek().span, "unexpected text after the entity UID");
      return *uid;
    } catch (const SyntaxError& e) {
      if (error) *error = e.message;
      return std::nullopt;
    }
  }

 private:
  // ---- tokens ----
  const Token& peek(std::size_t k = 0) const { return tokens_[std::min(pos_ + k, tokens_.size() - 1)]; }
  const Token& next() {
    const Token& t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  bool peek_ident(std::string_view word, std::size_t k = 0) const {
    return peek(k).kind == Tok::Ident && peek(k).text == word;
  }
  bool accept(Tok kind) {
    if (peek().kind != kind) return false;
    next();
    return true;
  }
  bool accept_ident(std::string_view word) {
    if (!peek_ident(word)) return false;
    next();
    return true;
  }

  [[noreturn]] void fail(SourceSpan span, std::string message, std::string hint = {}) const {
    throw SyntaxError{span, std::move(message), std::move(hint)};
  }

  static std::string describe(const Token& t) {
    switch (t.kind) {
      case Tok::End:
        return "end of input";
      case Tok::Str:
        return "a string";
      case Tok::Error:
        if (!t.text.empty() && t.text.front() == '"') return "an unterminated string";
        return fmt::format("`{}`", t.text);
      default:
        return fmt::format("`{}`", t.text);
    }
  }

  const Token& expect(Tok kind, std::string_view what, std::string_view hint = {}) {
    if (peek().kind != kind)
      fail(peek().span, fmt::format("expected {}, found {}", what, describe(peek())), std::string(hint));
    return next();
  }

  void expect_ident(std::string_view word, std::string_view hint = {}) {
    if (!peek_ident(word))
      fail(peek().span, fmt::format("expected `{}`, found {}", word, describe(peek())), std::string(hint));
    next();
  }

  SourceSpan span_from(SourceSpan begin) const {
    std::uint32_t end = pos_ > 0 ? tokens_[pos_ - 1].span.end : begin.end;
    return SourceSpan{begin.begin, std::max(end, begin.begin)};
  }

  std::string unescape(const Token& t) const {
    std::string out, error;
    std::size_t at = 0;
    std::string_view body = t.text.substr(1, t.text.size() - 2);
    if (!unescape_string(body, out, error, at)) {
      auto begin = static_cast<std::uint32_t>(t.span.begin + 1 + at);
      fail(SourceSpan{begin, begin + 2}, error, "valid escapes: \\n \\r \\t \\\\ \\0 \\' \\\" \\x41 \\u{1F600}");
    }
    return out;
  }

  // ---- policies ----
  PolicyAst parse_policy() {
    PolicyAst policy;
    policy.source = source_;
    SourceSpan begin = peek().span;
    while (peek().kind == Tok::At) {
      SourceSpan at = next().span;
      if (peek().kind != Tok::Ident)
        fail(peek().span, "expected an annotation name after `@`", "annotations look like @id(\"read-docs\")");
      Annotation a;
      a.key = std::string(next().text);
      if (accept(Tok::LParen)) {
        a.value = unescape(expect(Tok::Str, "a string as the annotation's value"));
        expect(Tok::RParen, "`)`");
      }
      a.span = span_from(at);
      if (policy.annotation(a.key))
        fail(a.span, fmt::format("duplicate annotation @{}", a.key), "each annotation may appear once per policy");
      policy.annotations.push_back(std::move(a));
    }
    if (accept_ident("permit")) {
      policy.effect = Effect::Permit;
    } else if (accept_ident("forbid")) {
      policy.effect = Effect::Forbid;
    } else {
      fail(peek().span, fmt::format("expected `permit` or `forbid`, found {}", describe(peek())),
           "a policy looks like permit(principal, action, resource) when { ... };");
    }
    expect(Tok::LParen, "`(` after the effect");
    parse_scope_var(policy.principal, Var::Principal);
    expect(Tok::Comma, "`,` after the principal constraint");
    parse_scope_var(policy.action, Var::Action);
    expect(Tok::Comma, "`,` after the action constraint");
    parse_scope_var(policy.resource, Var::Resource);
    accept(Tok::Comma);  // Cedar accepts a trailing comma
    if (peek().kind != Tok::RParen) fail(peek().span, "the scope has exactly three parts: principal, action, resource");
    expect(Tok::RParen, "`)` closing the scope");
    while (peek_ident("when") || peek_ident("unless")) {
      Condition c;
      SourceSpan cbegin = peek().span;
      c.is_when = next().text == "when";
      expect(Tok::LBrace, "`{`");
      if (peek().kind == Tok::RBrace)
        fail(peek().span, "empty condition", "write an expression inside the braces, or remove the condition");
      c.body = parse_expr();
      expect(Tok::RBrace, "`}` closing the condition", "conditions hold one expression; combine several with && or ||");
      c.span = span_from(cbegin);
      policy.conditions.push_back(std::move(c));
    }
    if (peek().kind == Tok::Ident && peek().text != "permit" && peek().text != "forbid")
      fail(peek().span, fmt::format("expected `when`, `unless` or `;`, found {}", describe(peek())));
    expect(Tok::Semi, "`;` at the end of the policy", "every policy ends with a semicolon");
    policy.span = span_from(begin);
    return policy;
  }

  void parse_scope_var(ScopeConstraint& c, Var var) {
    std::string_view name = var_name(var);
    if (!peek_ident(name)) {
      std::string hint = "the scope names principal, action and resource, in that order";
      fail(peek().span, fmt::format("expected `{}`, found {}", name, describe(peek())), hint);
    }
    SourceSpan begin = next().span;
    if (peek().kind == Tok::Colon) fail(peek().span, "type annotations in the scope are not supported");
    if (accept(Tok::EqEq)) {
      c.op = ScopeConstraint::Op::Eq;
      scope_target(c, var);
    } else if (accept_ident("is")) {
      if (var == Var::Action)
        fail(tokens_[pos_ - 1].span, "`is` cannot constrain the action",
             "use action == Action::\"name\" or action in [...]");
      c.op = ScopeConstraint::Op::Is;
      c.entity_type = parse_type_name();
      if (accept_ident("in")) {
        c.op = ScopeConstraint::Op::IsIn;
        scope_target(c, var);
      }
    } else if (accept_ident("in")) {
      c.op = ScopeConstraint::Op::In;
      if (var == Var::Action && peek().kind == Tok::LBracket) {
        next();
        c.op = ScopeConstraint::Op::InSet;
        while (peek().kind != Tok::RBracket) {
          c.entities.push_back(scope_entity(var));
          if (!accept(Tok::Comma)) break;
        }
        expect(Tok::RBracket, "`]` closing the list of actions");
      } else {
        scope_target(c, var);
      }
    } else if (peek().kind == Tok::Assign) {
      fail(peek().span, "`=` is not an operator", "did you mean `==`?");
    }
    c.span = span_from(begin);
  }

  void scope_target(ScopeConstraint& c, Var var) {
    if (peek().kind == Tok::Slot) {
      const Token& t = next();
      std::string_view expected = var == Var::Principal ? "?principal" : var == Var::Resource ? "?resource" : "";
      if (t.text != expected) {
        fail(t.span, fmt::format("slot {} cannot appear in the {} constraint", t.text, var_name(var)),
             expected.empty() ? "the action constraint cannot use a slot" : fmt::format("use {} here", expected));
      }
      c.slot = var == Var::Principal ? SlotId::Principal : SlotId::Resource;
      return;
    }
    c.entity = scope_entity(var);
  }

  const EntityUid* scope_entity(Var var) {
    if (peek().kind != Tok::Ident) {
      fail(peek().span, fmt::format("expected an entity UID, found {}", describe(peek())),
           "scope constraints take a literal entity like User::\"alice\"; put other expressions in a when clause");
    }
    SourceSpan begin = peek().span;
    Token first = next();
    const EntityUid* uid = parse_entity_after(first);
    if (var == Var::Action && uid->type() != "Action" && !uid->type().ends_with("::Action")) {
      fail(span_from(begin), fmt::format("the action constraint names `{}`, which is not an action", uid->to_string()),
           "action entities have type Action or NS::Action, e.g. Action::\"read\"");
    }
    return uid;
  }

  // IDENT {'::' IDENT}, names only (no trailing string).
  std::string parse_type_name() {
    if (peek().kind != Tok::Ident)
      fail(peek().span, fmt::format("expected an entity type name, found {}", describe(peek())));
    std::string name = checked_name_part(next());
    while (peek().kind == Tok::ColonColon && peek(1).kind == Tok::Ident) {
      next();
      name += "::" + checked_name_part(next());
    }
    return name;
  }

  std::string checked_name_part(const Token& t) const {
    if (is_reserved(t.text)) fail(t.span, fmt::format("`{}` is a reserved word and cannot name a type", t.text));
    return std::string(t.text);
  }

  // After the first identifier of `A::B::"id"`.
  const EntityUid* parse_entity_after(const Token& first) {
    std::string type = checked_name_part(first);
    while (true) {
      expect(Tok::ColonColon, "`::`", "entity UIDs look like Type::\"id\"");
      if (peek().kind == Tok::Str) {
        std::string id = unescape(next());
        return store_.keep(EntityUid(std::move(type), std::move(id)));
      }
      if (peek().kind != Tok::Ident)
        fail(peek().span, fmt::format("expected a name or a quoted id, found {}", describe(peek())));
      type += "::" + checked_name_part(next());
    }
  }

  // ---- expressions ----
  struct DepthGuard {
    explicit DepthGuard(Parser& p) : parser(p) {
      if (++parser.depth_ > kMaxNesting)
        parser.fail(parser.peek().span, "expression nested too deeply", fmt::format("at most {} levels", kMaxNesting));
    }
    ~DepthGuard() { --parser.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
    Parser& parser;
  };

  Expr node(ExprKind kind, SourceSpan span, std::vector<Expr> children) const {
    Expr e;
    e.kind = kind;
    e.span = span;
    std::uint32_t h = 0;
    for (const auto& c : children) h = std::max(h, c.height);
    e.height = h + 1;
    if (e.height > kMaxNesting)
      fail(span, "expression nested too deeply", fmt::format("at most {} levels", kMaxNesting));
    e.children = std::move(children);
    return e;
  }
  Expr binary(ExprKind kind, Expr l, Expr r) const {
    SourceSpan span{l.span.begin, r.span.end};
    std::vector<Expr> children;
    children.reserve(2);
    children.push_back(std::move(l));
    children.push_back(std::move(r));
    return node(kind, span, std::move(children));
  }
  Expr unary(ExprKind kind, SourceSpan span, Expr arg) const {
    std::vector<Expr> children;
    children.push_back(std::move(arg));
    return node(kind, span, std::move(children));
  }

  Expr parse_expr() {
    DepthGuard guard(*this);
    if (peek_ident("if")) {
      SourceSpan begin = next().span;
      Expr c = parse_expr();
      expect_ident("then", "if-expressions read: if c then a else b");
      Expr t = parse_expr();
      expect_ident("else", "if-expressions need an else branch");
      Expr e = parse_expr();
      std::vector<Expr> children;
      children.push_back(std::move(c));
      children.push_back(std::move(t));
      children.push_back(std::move(e));
      return node(ExprKind::If, span_from(begin), std::move(children));
    }
    return parse_or();
  }

  Expr parse_or() {
    Expr l = parse_and();
    while (accept(Tok::OrOr)) l = binary(ExprKind::Or, std::move(l), parse_and());
    return l;
  }

  Expr parse_and() {
    Expr l = parse_relation();
    while (accept(Tok::AndAnd)) l = binary(ExprKind::And, std::move(l), parse_relation());
    return l;
  }

  std::optional<ExprKind> relop() const {
    switch (peek().kind) {
      case Tok::EqEq:
        return ExprKind::Eq;
      case Tok::NotEq:
        return ExprKind::NotEq;
      case Tok::Less:
        return ExprKind::Less;
      case Tok::LessEq:
        return ExprKind::LessEq;
      case Tok::Greater:
        return ExprKind::Greater;
      case Tok::GreaterEq:
        return ExprKind::GreaterEq;
      case Tok::Ident:
        if (peek().text == "in") return ExprKind::In;
        return std::nullopt;
      default:
        return std::nullopt;
    }
  }

  bool at_relation_operator() const {
    return relop().has_value() || peek_ident("has") || peek_ident("like") || peek_ident("is") ||
           peek().kind == Tok::Assign;
  }

  Expr parse_relation() {
    Expr l = parse_add();
    if (peek().kind == Tok::Assign) fail(peek().span, "`=` is not an operator", "did you mean `==`?");
    if (auto op = relop()) {
      next();
      l = binary(*op, std::move(l), parse_add());
    } else if (accept_ident("has")) {
      l = parse_has(std::move(l));
    } else if (accept_ident("like")) {
      const Token& t = expect(Tok::Str, "a string pattern after `like`",
                              "patterns are string literals; * matches any text, \\* a star");
      Expr e = unary(ExprKind::Like, SourceSpan{l.span.begin, t.span.end}, std::move(l));
      std::string error;
      std::size_t at = 0;
      if (!unescape_pattern(t.text.substr(1, t.text.size() - 2), e.pattern, error, at)) {
        auto begin = static_cast<std::uint32_t>(t.span.begin + 1 + at);
        fail(SourceSpan{begin, begin + 2}, error, "valid escapes: \\* \\n \\r \\t \\\\ \\0 \\' \\\" \\x41 \\u{1F600}");
      }
      l = std::move(e);
    } else if (accept_ident("is")) {
      std::string type = parse_type_name();
      if (accept_ident("in")) {
        Expr r = parse_add();
        l = binary(ExprKind::Is, std::move(l), std::move(r));
      } else {
        l = unary(ExprKind::Is, span_from(l.span), std::move(l));
      }
      l.name = std::move(type);
    } else {
      return l;
    }
    if (at_relation_operator())
      fail(peek().span, "comparison operators cannot be chained", "add parentheses, e.g. (a < b) == c");
    return l;
  }

  // `e has a`, `e has "a b"`, `e has a.b.c` (= e has a && e.a has b && e.a.b has c).
  Expr parse_has(Expr target) {
    std::vector<std::pair<std::string, SourceSpan>> path;
    if (peek().kind == Tok::Str) {
      const Token& t = next();
      path.emplace_back(unescape(t), t.span);
    } else {
      path.push_back(attribute_name());
      while (peek().kind == Tok::Dot && peek(1).kind == Tok::Ident) {
        next();
        path.push_back(attribute_name());
      }
    }
    Expr base = std::move(target);
    std::optional<Expr> result;
    for (std::size_t i = 0; i < path.size(); ++i) {
      SourceSpan span{base.span.begin, path[i].second.end};
      Expr has = unary(ExprKind::Has, span, base);
      has.name = path[i].first;
      result = result ? binary(ExprKind::And, std::move(*result), std::move(has)) : std::move(has);
      if (i + 1 < path.size()) {
        Expr get = unary(ExprKind::GetAttr, span, std::move(base));
        get.name = path[i].first;
        base = std::move(get);
      }
    }
    return std::move(*result);
  }

  std::pair<std::string, SourceSpan> attribute_name() {
    if (peek().kind != Tok::Ident)
      fail(peek().span, fmt::format("expected an attribute name, found {}", describe(peek())));
    const Token& t = next();
    if (is_reserved(t.text)) {
      fail(t.span, fmt::format("`{}` is a reserved word", t.text),
           fmt::format("write [\"{0}\"] or has \"{0}\" to use it as an attribute name", t.text));
    }
    return {std::string(t.text), t.span};
  }

  Expr parse_add() {
    Expr l = parse_mult();
    while (peek().kind == Tok::Plus || peek().kind == Tok::Minus) {
      ExprKind kind = next().kind == Tok::Plus ? ExprKind::Add : ExprKind::Sub;
      l = binary(kind, std::move(l), parse_mult());
    }
    return l;
  }

  Expr parse_mult() {
    Expr l = parse_unary();
    while (true) {
      if (peek().kind == Tok::Slash || peek().kind == Tok::Percent) {
        fail(peek().span, fmt::format("`{}` is not supported in Cedar", peek().text),
             "Cedar has +, - and * on Longs only");
      }
      if (!accept(Tok::Star)) return l;
      l = binary(ExprKind::Mul, std::move(l), parse_unary());
    }
  }

  Expr parse_unary() {
    Tok op = peek().kind;
    if (op != Tok::Bang && op != Tok::Minus) return parse_member();
    SourceSpan begin = peek().span;
    std::size_t count = 0;
    while (peek().kind == op) {
      next();
      ++count;
    }
    if (count > 4) fail(span_from(begin), "too many unary operators in a row", "at most four; use parentheses");
    Expr e;
    if (op == Tok::Minus && peek().kind == Tok::Int && peek(1).kind != Tok::Dot && peek(1).kind != Tok::LBracket) {
      // `-9223372036854775808` is a literal, not the negation of an out-of-range one.
      e = int_literal(next(), true);
      e.span.begin = tokens_[pos_ - 2].span.begin;
      --count;
    } else {
      e = parse_member();
    }
    for (std::size_t i = 0; i < count; ++i) {
      SourceSpan span{begin.begin, e.span.end};
      e = unary(op == Tok::Bang ? ExprKind::Not : ExprKind::Neg, span, std::move(e));
    }
    return e;
  }

  Expr int_literal(const Token& t, bool negative) const {
    UInt128 v = 0;
    for (char c : t.text) {
      v = v * 10 + static_cast<unsigned>(c - '0');
      if (v > (static_cast<UInt128>(1) << 63)) break;
    }
    UInt128 limit = (static_cast<UInt128>(1) << 63) - (negative ? 0 : 1);
    if (v > limit)
      fail(t.span, fmt::format("integer literal {}{} does not fit in 64 bits", negative ? "-" : "", t.text),
           "Cedar Longs range from -9223372036854775808 to 9223372036854775807");
    Expr e;
    e.kind = ExprKind::Literal;
    e.span = t.span;
    auto magnitude = static_cast<unsigned long long>(v);
    e.value =
        Value::long_(negative ? static_cast<std::int64_t>(0ULL - magnitude) : static_cast<std::int64_t>(magnitude));
    return e;
  }

  Expr parse_member() {
    Expr e = parse_primary();
    while (true) {
      if (peek().kind == Tok::Dot) {
        next();
        auto [name, name_span] = attribute_name();
        if (peek().kind == Tok::LParen) {
          e = parse_call(name, name_span, std::move(e), true);
        } else {
          Expr get = unary(ExprKind::GetAttr, SourceSpan{e.span.begin, name_span.end}, std::move(e));
          get.name = std::move(name);
          e = std::move(get);
        }
      } else if (peek().kind == Tok::LBracket) {
        next();
        const Token& key = expect(Tok::Str, "a quoted attribute name inside [ ]", "write record[\"name\"]");
        std::string name = unescape(key);
        expect(Tok::RBracket, "`]`");
        Expr get = unary(ExprKind::GetAttr, span_from(e.span), std::move(e));
        get.name = std::move(name);
        e = std::move(get);
      } else {
        return e;
      }
    }
  }

  // `name(args)` (receiver null) or `receiver.name(args)`.
  Expr parse_call(const std::string& name, SourceSpan name_span, std::optional<Expr> receiver, bool method) {
    const BuiltinInfo* info = find_builtin(name);
    if (!info) {
      fail(
          name_span, fmt::format("unknown {} `{}`", method ? "method" : "function", name),
          method
              ? "methods: contains, containsAll, containsAny, isEmpty, getTag, hasTag, isInRange, lessThan, offset, ..."
              : "functions: ip, decimal, datetime, duration");
    }
    if (info->method != method) {
      fail(name_span, fmt::format("`{}` is a {}", name, info->method ? "method" : "function"),
           info->method ? fmt::format("call it as value.{}(...)", name) : fmt::format("call it as {}(\"...\")", name));
    }
    std::vector<Expr> args;
    if (receiver) args.push_back(std::move(*receiver));
    expect(Tok::LParen, "`(`");
    while (peek().kind != Tok::RParen) {
      args.push_back(parse_expr());
      if (!accept(Tok::Comma)) break;
    }
    expect(Tok::RParen, "`)` closing the argument list");
    if (args.size() != info->arity && !info->is_extension()) {
      std::size_t want = info->arity - (method ? 1 : 0);
      fail(span_from(name_span), fmt::format("`{}` takes {} argument{}, got {}", name, want, want == 1 ? "" : "s",
                                             args.size() - (method ? 1 : 0)));
    }
    SourceSpan span = span_from(args.empty() || !method ? name_span : args.front().span);
    Expr call = node(ExprKind::Call, span, std::move(args));
    call.builtin = info->id;
    return call;
  }

  Expr parse_primary() {
    const Token& t = peek();
    switch (t.kind) {
      case Tok::Int:
        return int_literal(next(), false);
      case Tok::Str: {
        next();
        Expr e;
        e.span = t.span;
        e.value = Value::string(store_.keep(unescape(t)));
        return e;
      }
      case Tok::Slot: {
        next();
        if (t.text != "?principal" && t.text != "?resource")
          fail(t.span, fmt::format("unknown slot {}", t.text), "templates have the slots ?principal and ?resource");
        fail(t.span, "slots may only appear in the scope", "write principal == ?principal or resource in ?resource");
      }
      case Tok::LParen: {
        next();
        Expr e = parse_expr();
        expect(Tok::RParen, "`)`");
        return e;
      }
      case Tok::LBracket: {
        SourceSpan begin = next().span;
        std::vector<Expr> elements;
        while (peek().kind != Tok::RBracket) {
          elements.push_back(parse_expr());
          if (!accept(Tok::Comma)) break;
        }
        expect(Tok::RBracket, "`]` closing the set");
        return node(ExprKind::Set, span_from(begin), std::move(elements));
      }
      case Tok::LBrace:
        return parse_record();
      case Tok::Ident:
        return parse_name();
      default:
        break;
    }
    if (t.kind == Tok::Error && !t.text.empty() && t.text.front() == '"')
      fail(t.span, "unterminated string", "close it with \"");
    fail(t.span, fmt::format("expected an expression, found {}", describe(t)));
  }

  Expr parse_record() {
    SourceSpan begin = next().span;
    std::vector<Expr> values;
    std::vector<std::string> keys;
    while (peek().kind != Tok::RBrace) {
      std::pair<std::string, SourceSpan> key;
      if (peek().kind == Tok::Str) {
        const Token& k = next();
        key = {unescape(k), k.span};
      } else {
        key = attribute_name();
      }
      if (std::find(keys.begin(), keys.end(), key.first) != keys.end())
        fail(key.second, fmt::format("duplicate key `{}` in record literal", key.first));
      expect(Tok::Colon, "`:` after the record key");
      keys.push_back(std::move(key.first));
      values.push_back(parse_expr());
      if (!accept(Tok::Comma)) break;
    }
    expect(Tok::RBrace, "`}` closing the record");
    Expr e = node(ExprKind::Record, span_from(begin), std::move(values));
    e.keys = std::move(keys);
    return e;
  }

  Expr parse_name() {
    const Token& t = next();
    if (t.text == "true" || t.text == "false") {
      Expr e;
      e.span = t.span;
      e.value = Value::boolean(t.text == "true");
      return e;
    }
    if (peek().kind == Tok::ColonColon) {
      SourceSpan begin = t.span;
      // A namespaced function call (`a::b(...)`) is never valid; an entity UID is.
      const EntityUid* uid = parse_entity_after(t);
      Expr e;
      e.span = span_from(begin);
      e.value = Value::entity(uid);
      return e;
    }
    if (peek().kind == Tok::LParen) return parse_call(std::string(t.text), t.span, std::nullopt, false);
    static constexpr std::pair<std::string_view, Var> kVars[] = {
        {"principal", Var::Principal}, {"action", Var::Action}, {"resource", Var::Resource}, {"context", Var::Context}};
    for (const auto& [word, var] : kVars) {
      if (t.text == word) {
        Expr e;
        e.kind = ExprKind::Var;
        e.var = var;
        e.span = t.span;
        return e;
      }
    }
    if (t.text == "if") fail(t.span, "an if-expression here needs parentheses", "write (if c then a else b)");
    if (is_reserved(t.text)) fail(t.span, fmt::format("unexpected `{}`", t.text));
    fail(t.span, fmt::format("unknown variable `{}`", t.text),
         "the variables are principal, action, resource and context; strings need double quotes");
  }

  std::shared_ptr<const Source> source_;
  LiteralStore& store_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
};

// Valid UTF-8 is a precondition of everything else; report the first bad byte.
bool check_utf8(const std::shared_ptr<const Source>& source, std::vector<Diagnostic>& diagnostics) {
  std::size_t bad = 0;
  if (valid_utf8(source->text, bad)) return true;
  auto at = static_cast<std::uint32_t>(bad);
  diagnostics.push_back(Diagnostic{Diagnostic::Severity::Error, "invalid UTF-8 in policy text",
                                   "Cedar policies must be UTF-8 text", source, SourceSpan{at, at + 1}});
  return false;
}

}  // namespace

ParsedPolicies parse_policies(const std::shared_ptr<const Source>& source, LiteralStore& store) {
  ParsedPolicies out;
  if (!check_utf8(source, out.diagnostics)) return out;
  if (source->text.size() > UINT32_MAX) {
    out.diagnostics.push_back(Diagnostic{Diagnostic::Severity::Error, "policy text larger than 4 GiB", {}, source, {}});
    return out;
  }
  return Parser(source, store).parse_all();
}

std::optional<Expr> parse_expression(const std::shared_ptr<const Source>& source, LiteralStore& store,
                                     std::vector<Diagnostic>& diagnostics) {
  if (!check_utf8(source, diagnostics)) return std::nullopt;
  return Parser(source, store).parse_single(diagnostics);
}

std::optional<EntityUid> parse_entity_uid(std::string_view text, std::string* error) {
  auto source = std::make_shared<const Source>(Source{"<uid>", std::string(text)});
  std::size_t bad = 0;
  if (!valid_utf8(text, bad)) {
    if (error) *error = "invalid UTF-8";
    return std::nullopt;
  }
  LiteralStore store;
  return Parser(source, store).parse_uid_only(error);
}

}  // namespace paddock::cedar
