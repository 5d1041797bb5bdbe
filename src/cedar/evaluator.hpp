// Expression evaluation (Lean Spec/Evaluator.lean). The hot path: it returns values and never
// throws paddock::Error; the only exception that can escape is std::bad_alloc. Computed sets
// and records go into a scratch Arena that the caller rewinds between requests, so evaluating
// a policy allocates nothing once the arena has grown.
#pragma once

#include <cstdint>
#include <string>

#include "cedar/ast.hpp"
#include "cedar/entities.hpp"

namespace paddock::cedar {

// A request as the evaluator sees it. The context is a Record whose storage belongs to the
// caller (see Context in request.hpp) and must outlive the call.
struct Request {
  const EntityUid* principal = nullptr;
  const EntityUid* action = nullptr;
  const EntityUid* resource = nullptr;
  Value context = Value::record({});
};

// The error kinds of the Lean spec.
enum class ErrorKind : std::uint8_t {
  EntityDoesNotExist,
  AttrDoesNotExist,
  TagDoesNotExist,
  TypeError,
  ArithBounds,
  ExtensionError,
};
std::string_view error_kind_name(ErrorKind kind) noexcept;

struct EvalError {
  ErrorKind kind = ErrorKind::TypeError;
  SourceSpan span;  // the sub-expression that failed
  std::string message;
};

// Slot values of a template link (null for a static policy).
struct SlotValues {
  const EntityUid* principal = nullptr;
  const EntityUid* resource = nullptr;
};

class Evaluator {
 public:
  // Looks up the request's principal, action and resource once; every later use of them (scope
  // checks, `principal.attr`, `resource in ...`) reuses what was found.
  Evaluator(const Request& request, const EntitySource& entities, Arena& scratch) noexcept;

  // The entity for `uid` (nullptr if unknown), served from the request's own entities when it is
  // one of them.
  const Entity* find_entity(const EntityUid& uid) const noexcept {
    if (&uid == request_.principal) return principal_entity_;
    if (&uid == request_.resource) return resource_entity_;
    if (&uid == request_.action) return action_entity_;
    return entities_.find(uid);
  }
  const Entity* action_entity() const noexcept { return action_entity_; }
  const Entity* resource_entity() const noexcept { return resource_entity_; }

  // Evaluates `e`; on failure returns false and error() says why.
  bool eval(const Expr& e, Value& out, const SlotValues& slots = {});
  // Whether a scope constraint holds for `var` (never fails).
  bool scope_matches(const ScopeConstraint& c, const EntityUid& var, const SlotValues& slots) const noexcept;
  // `e in target` over the hierarchy (equality or ancestry).
  bool entity_in(const EntityUid& e, const EntityUid& target) const noexcept;

  const EvalError& error() const noexcept { return error_; }

 private:
  bool eval_binary(const Expr& e, Value& out);
  bool eval_call(const Expr& e, Value& out);
  bool eval_in(const Expr& e, const Value& l, const Value& r, Value& out);
  bool get_attr(const Expr& e, const Value& target, Value& out);
  bool has_attr(const Expr& e, const Value& target, Value& out);

  bool fail(ErrorKind kind, const Expr& at, std::string message);
  bool type_error(const Expr& at, std::string_view expected, const Value& got);

  const Request& request_;
  const EntitySource& entities_;
  Arena& scratch_;
  const SlotValues* slots_ = nullptr;
  const Entity* principal_entity_ = nullptr;
  const Entity* action_entity_ = nullptr;
  const Entity* resource_entity_ = nullptr;
  EvalError error_;
};

// Whether `text` matches a `like` pattern; O(len(text) * parts), never exponential.
bool pattern_matches(const std::vector<PatternPart>& pattern, std::string_view text) noexcept;

}  // namespace paddock::cedar
