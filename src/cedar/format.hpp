// Cedar text from the AST: canonical formatting for `paddock policy format`, and the
// printing of expressions in messages. Output parses back to the same AST (tested).
#pragma once

#include <string>

#include "cedar/ast.hpp"

namespace paddock::cedar {

// Minimal parentheses, one space around binary operators.
std::string format_expr(const Expr& e);
std::string format_scope(const ScopeConstraint& c, Var var);
// Annotations one per line, the scope on one line, each condition on its own line.
std::string format_policy(const PolicyAst& policy);
// A whole file: policies separated by a blank line. Comments before a policy are kept; a
// policy with comments inside it is kept as written (reformatting would lose them).
std::string format_policies(const std::string& source_text, const std::vector<PolicyAst>& policies);

}  // namespace paddock::cedar
