// Cedar policy text -> AST (grammar: cedar-policy-core parser/grammar.lalrpop; the checks
// done after parsing: parser/cst_to_ast.rs). A recursive-descent parser that reports every
// malformed policy of a file (it resynchronises at the next `;`), each with file:line:col,
// a caret and a hint. Expressions nested deeper than kMaxNesting are rejected, so neither
// parsing nor evaluation can exhaust the stack.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cedar/ast.hpp"
#include "cedar/diagnostics.hpp"

namespace paddock::cedar {

inline constexpr std::size_t kMaxNesting = 400;

struct ParsedPolicies {
  std::vector<PolicyAst> policies;  // in source order (their ids are policy0, policy1, ...)
  std::vector<Diagnostic> diagnostics;
};

// Parses a whole policy file. Strings and entity UIDs of literals are kept in `store`, which
// must outlive the ASTs. Never throws for malformed text: see diagnostics.
ParsedPolicies parse_policies(const std::shared_ptr<const Source>& source, LiteralStore& store);

// Parses a single expression (tests, `paddock policy eval --expr`).
std::optional<Expr> parse_expression(const std::shared_ptr<const Source>& source, LiteralStore& store,
                                     std::vector<Diagnostic>& diagnostics);

// Parses `Type::"id"` (as written in policies, with escapes). Returns nullopt and sets
// `error` when malformed.
std::optional<EntityUid> parse_entity_uid(std::string_view text, std::string* error = nullptr);

// Whether `name` is a normalised entity type name: IDENT ('::' IDENT)*, no reserved words.
bool valid_type_name(std::string_view name) noexcept;
// Whether `word` is one of Cedar's reserved identifiers (true, false, if, then, else, in,
// like, has, is, __cedar).
bool is_reserved(std::string_view word) noexcept;

}  // namespace paddock::cedar
