// The human-readable schema format (docs: "Cedar schema format"):
//   [namespace NS {] entity A, B in [G] = { attr?: Type, ... } tags Type;
//                    entity E enum ["a", "b"];
//                    action "read", write in [Action::"all"] appliesTo { principal: [A], resource: B, context: {...} };
//                    type T = Type;  [}]
// with annotations (@key("value")) allowed before declarations and attributes.
#include <fmt/core.h>

#include "cedar/diagnostics.hpp"
#include "cedar/lexer.hpp"
#include "cedar/schema.hpp"

namespace paddock::cedar {

namespace {

struct SchemaSyntaxError {
  SourceSpan span;
  std::string message;
};

class SchemaParser {
 public:
  SchemaParser(std::shared_ptr<const Source> source, Schema& schema)
      : source_(std::move(source)), schema_(schema), tokens_(tokenize(source_->text)) {}

  void parse() {
    while (peek().kind != Tok::End) {
      annotations();
      if (accept_ident("namespace")) {
        std::string ns = path();
        expect(Tok::LBrace, "`{` after the namespace name");
        while (peek().kind != Tok::RBrace && peek().kind != Tok::End) declaration(ns);
        expect(Tok::RBrace, "`}` closing the namespace");
      } else {
        declaration("");
      }
    }
  }

  [[noreturn]] void fail(SourceSpan span, std::string message) const {
    throw SchemaSyntaxError{span, std::move(message)};
  }
  const Token& peek(std::size_t k = 0) const { return tokens_[std::min(pos_ + k, tokens_.size() - 1)]; }

 private:
  const Token& next() {
    const Token& t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  bool accept(Tok kind) {
    if (peek().kind != kind) return false;
    next();
    return true;
  }
  bool accept_ident(std::string_view word) {
    if (peek().kind != Tok::Ident || peek().text != word) return false;
    next();
    return true;
  }
  const Token& expect(Tok kind, std::string_view what) {
    if (peek().kind != kind) fail(peek().span, fmt::format("expected {}, found `{}`", what, peek().text));
    return next();
  }
  std::string ident() { return std::string(expect(Tok::Ident, "a name").text); }

  std::string string_literal() {
    const Token& t = expect(Tok::Str, "a string");
    std::string out, error;
    std::size_t at = 0;
    if (!unescape_string(t.text.substr(1, t.text.size() - 2), out, error, at)) fail(t.span, error);
    return out;
  }

  // IDENT or STR (attribute and action names).
  std::string name() { return peek().kind == Tok::Str ? string_literal() : ident(); }

  std::string path() {
    std::string p = ident();
    while (peek().kind == Tok::ColonColon && peek(1).kind == Tok::Ident) {
      next();
      p += "::" + ident();
    }
    return p;
  }

  void annotations() {
    while (accept(Tok::At)) {
      ident();
      if (accept(Tok::LParen)) {
        string_literal();
        expect(Tok::RParen, "`)`");
      }
    }
  }

  static std::string qualify(const std::string& ns, const std::string& name) {
    return ns.empty() || name.find("::") != std::string::npos ? name : ns + "::" + name;
  }

  void declaration(const std::string& ns) {
    annotations();
    if (accept_ident("entity")) return entity(ns);
    if (accept_ident("action")) return action(ns);
    if (accept_ident("type")) {
      std::string n = ident();
      expect(Tok::Assign, "`=`");
      auto t = type(ns);
      expect(Tok::Semi, "`;`");
      schema_.add_common_type(qualify(ns, n), std::move(t));
      return;
    }
    fail(peek().span, fmt::format("expected `entity`, `action` or `type`, found `{}`", peek().text));
  }

  void entity(const std::string& ns) {
    std::vector<std::string> names{ident()};
    while (accept(Tok::Comma)) names.push_back(ident());
    EntityTypeDecl decl;
    if (accept_ident("enum")) {
      expect(Tok::LBracket, "`[`");
      while (peek().kind != Tok::RBracket) {
        decl.enum_ids.push_back(string_literal());
        if (!accept(Tok::Comma)) break;
      }
      expect(Tok::RBracket, "`]`");
    } else {
      if (accept_ident("in")) {
        for (auto& t : type_list()) decl.member_of.push_back(qualify(ns, t));
      }
      accept(Tok::Assign);
      if (peek().kind == Tok::LBrace) decl.shape = record_type(ns);
      if (accept_ident("tags")) decl.tags = type(ns);
    }
    expect(Tok::Semi, "`;` after the entity declaration");
    if (!decl.shape) decl.shape = empty_record_type();
    for (const auto& n : names) {
      EntityTypeDecl d = decl;
      d.name = qualify(ns, n);
      schema_.add_entity_type(std::move(d));
    }
  }

  // `A` or `[A, B]`.
  std::vector<std::string> type_list() {
    std::vector<std::string> out;
    if (!accept(Tok::LBracket)) return {path()};
    while (peek().kind != Tok::RBracket) {
      out.push_back(path());
      if (!accept(Tok::Comma)) break;
    }
    expect(Tok::RBracket, "`]`");
    return out;
  }

  // An action reference: `"name"`, `name`, or `Path::"name"`.
  EntityUid action_ref(const std::string& ns) {
    std::string action_type = qualify(ns, "Action");
    if (peek().kind == Tok::Str) return EntityUid(action_type, string_literal());
    std::string p = ident();
    while (accept(Tok::ColonColon)) {
      if (peek().kind == Tok::Str) return EntityUid(qualify(ns, p), string_literal());
      p += "::" + ident();
    }
    return EntityUid(action_type, p);
  }

  void action(const std::string& ns) {
    std::vector<std::string> names{name()};
    while (accept(Tok::Comma)) names.push_back(name());
    ActionDecl decl;
    if (accept_ident("in")) {
      if (accept(Tok::LBracket)) {
        while (peek().kind != Tok::RBracket) {
          decl.member_of.push_back(action_ref(ns));
          if (!accept(Tok::Comma)) break;
        }
        expect(Tok::RBracket, "`]`");
      } else {
        decl.member_of.push_back(action_ref(ns));
      }
    }
    if (accept_ident("appliesTo")) {
      expect(Tok::LBrace, "`{`");
      while (peek().kind != Tok::RBrace) {
        std::string key = ident();
        expect(Tok::Colon, "`:`");
        if (key == "principal" || key == "resource") {
          auto& list = key == "principal" ? decl.principal_types : decl.resource_types;
          for (auto& t : type_list()) list.push_back(qualify(ns, t));
        } else if (key == "context") {
          decl.context = type(ns);
        } else {
          fail(tokens_[pos_ - 2].span, fmt::format("unknown appliesTo key `{}`", key));
        }
        if (!accept(Tok::Comma)) break;
      }
      expect(Tok::RBrace, "`}`");
    }
    expect(Tok::Semi, "`;` after the action declaration");
    if (!decl.context) decl.context = empty_record_type();
    for (const auto& n : names) {
      ActionDecl d = decl;
      d.uid = EntityUid(qualify(ns, "Action"), n);
      schema_.add_action(std::move(d));
    }
  }

  std::shared_ptr<const SchemaType> type(const std::string& ns) {
    if (++depth_ > 200) fail(peek().span, "type nested too deeply");
    std::shared_ptr<SchemaType> t;
    if (peek().kind == Tok::LBrace) {
      t = std::const_pointer_cast<SchemaType>(record_type(ns));
    } else if (peek().kind == Tok::Ident && peek().text == "Set" && peek(1).kind == Tok::Less) {
      next();
      next();
      t = std::make_shared<SchemaType>();
      t->kind = SchemaType::Kind::Set;
      t->element = type(ns);
      expect(Tok::Greater, "`>` closing Set<...>");
    } else {
      t = std::make_shared<SchemaType>();
      t->kind = SchemaType::Kind::Unresolved;
      t->name = path();
      t->name_space = ns;
    }
    --depth_;
    return t;
  }

  std::shared_ptr<const SchemaType> record_type(const std::string& ns) {
    expect(Tok::LBrace, "`{`");
    auto t = std::make_shared<SchemaType>();
    t->kind = SchemaType::Kind::Record;
    while (peek().kind != Tok::RBrace) {
      annotations();
      SourceSpan at = peek().span;
      std::string attr = name();
      SchemaType::Attribute a;
      a.required = !accept(Tok::Question);
      expect(Tok::Colon, "`:` after the attribute name");
      a.type = type(ns);
      if (!t->attributes.emplace(attr, std::move(a)).second)
        fail(at, fmt::format("attribute `{}` declared twice", attr));
      if (!accept(Tok::Comma)) break;
    }
    expect(Tok::RBrace, "`}` closing the record type");
    return t;
  }

  std::shared_ptr<const Source> source_;
  Schema& schema_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
};

}  // namespace

Schema Schema::from_cedar_text(const std::string& name, const std::string& text) {
  auto source = std::make_shared<const Source>(Source{name, text});
  Schema schema;
  std::size_t bad = 0;
  if (!valid_utf8(text, bad)) throw PolicyError(fmt::format("{}: invalid UTF-8 at byte {}", name, bad));
  try {
    SchemaParser(source, schema).parse();
  } catch (const SchemaSyntaxError& e) {
    throw PolicyError(
        {Diagnostic{Diagnostic::Severity::Error, e.message, "see the Cedar schema format", source, e.span}});
  }
  schema.resolve();
  return schema;
}

}  // namespace paddock::cedar
