// Helpers for the Cedar unit tests: evaluate an expression or authorize a request from text.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "cedar/authorizer.hpp"
#include "cedar/json.hpp"
#include "cedar/parser.hpp"
#include "cedar/policy_set.hpp"

namespace paddock::cedar::testing {

struct EvalResult {
  bool parsed = false;
  bool ok = false;
  std::string value;  // Cedar text of the result
  ErrorKind error = ErrorKind::TypeError;
  std::string message;  // parse or evaluation error
};

// Evaluates `expr` with principal User::"alice", action Action::"view", resource Photo::"p".
inline EvalResult eval(const std::string& expr, const std::string& entities_json = "[]",
                       const std::string& context_json = "{}") {
  EvalResult r;
  LiteralStore store;
  std::vector<Diagnostic> diagnostics;
  auto parsed = parse_expression(std::make_shared<const Source>(Source{"<expr>", expr}), store, diagnostics);
  if (!parsed) {
    r.message = diagnostics.empty() ? "?" : diagnostics.front().message;
    return r;
  }
  r.parsed = true;
  EntityStore entities;
  load_entities_json(parse_json_text(entities_json, "entities"), entities);
  entities.finish();
  EntityUid principal("User", "alice"), action("Action", "view"), resource("Photo", "p");
  Request request{&principal, &action, &resource, context_from_json(parse_json_text(context_json, "context"), store)};
  Arena scratch;
  Evaluator evaluator(request, entities, scratch);
  Value v;
  r.ok = evaluator.eval(*parsed, v);
  if (r.ok) {
    r.value = to_cedar(v);
  } else {
    r.error = evaluator.error().kind;
    r.message = evaluator.error().message;
  }
  return r;
}

struct AuthResult {
  std::string decision;
  std::set<std::string> reason;
  std::set<std::string> errors;
  std::size_t candidates = 0;
};

inline AuthResult authorize(const PolicySet& set, const EntitySource& entities, const EntityUid& principal,
                            const EntityUid& action, const EntityUid& resource, Value context = Value::record({})) {
  Request request{&principal, &action, &resource, context};
  Authorizer authorizer;
  Response response = authorizer.authorize(set, request, entities);
  AuthResult r;
  r.decision = std::string(decision_name(response.decision));
  for (const Policy* p : response.determining) r.reason.insert(p->id);
  for (const auto& e : response.errors) r.errors.insert(e.policy->id);
  r.candidates = authorizer.last_candidates();
  return r;
}

inline std::shared_ptr<const PolicySet> policies(const std::string& text, PolicyIds ids = PolicyIds::Positional) {
  PolicySetBuilder builder(ids);
  builder.add_text_or_throw("test.cedar", text);
  return builder.build();
}

inline EntityStore entities(const std::string& json) {
  EntityStore store;
  load_entities_json(parse_json_text(json, "entities"), store);
  store.finish();
  return store;
}

}  // namespace paddock::cedar::testing
