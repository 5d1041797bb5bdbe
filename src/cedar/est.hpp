// Cedar's JSON policy format (the "EST", docs: "JSON policy format"), both directions:
//   {"effect": "permit", "principal": {"op": "==", "entity": {"type", "id"}} | {"op": "All"} | ...,
//    "action": ..., "resource": ..., "conditions": [{"kind": "when", "body": EXPR}],
//    "annotations": {"id": "x"}}
// with EXPR nodes such as {"Value": 1}, {"Var": "context"}, {"==": {"left", "right"}},
// {".": {"left", "attr"}}, {"like": {"left", "pattern": [{"Literal": "a"}, "Wildcard"]}},
// {"ip": [ARG]}. Reading checks what the text parser checks (action types, slots, nesting).
#pragma once

#include <nlohmann/json.hpp>

#include "cedar/ast.hpp"

namespace paddock::cedar {

nlohmann::json policy_to_json(const PolicyAst& policy);
nlohmann::json expr_to_json(const Expr& e);

// Throws PolicyError naming the JSON path of the problem. Literals are kept in `store`.
PolicyAst policy_from_json(const nlohmann::json& j, LiteralStore& store);
Expr expr_from_json(const nlohmann::json& j, LiteralStore& store);

}  // namespace paddock::cedar
