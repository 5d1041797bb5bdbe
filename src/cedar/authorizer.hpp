// Authorization (Lean Spec/Authorizer.lean):
//   forbids = satisfied forbid policies, permits = satisfied permit policies,
//   errors  = policies whose evaluation failed (skipped, whatever their effect);
//   Allow iff forbids is empty and permits is not; the determining policies are the permits on
//   Allow and the forbids on Deny (empty for the default deny).
//
// Usage:
//   std::shared_ptr<const PolicySet> set = builder.build();
//   Authorizer authorizer;                       // one per thread: it holds scratch memory
//   Response r;
//   authorizer.authorize(*set, request, entities, r);
//   if (r.decision == Decision::Allow) ...; for (const Policy* p : r.determining) p->location();
//
// authorize() does not throw (std::bad_alloc aside) and, once its scratch memory and the
// Response's vectors have grown, does not allocate unless a policy errors.
#pragma once

#include <string>
#include <vector>

#include "cedar/entities.hpp"
#include "cedar/evaluator.hpp"
#include "cedar/policy_set.hpp"

namespace paddock::cedar {

enum class Decision : std::uint8_t { Deny, Allow };
std::string_view decision_name(Decision d) noexcept;  // "allow" / "deny"

struct PolicyEvalError {
  const Policy* policy = nullptr;
  EvalError error;
};

struct Response {
  Decision decision = Decision::Deny;
  std::vector<const Policy*> determining;  // pointers into the PolicySet (keep it alive)
  std::vector<PolicyEvalError> errors;
};

class Authorizer {
 public:
  Authorizer() = default;

  void authorize(const PolicySet& policies, const Request& request, const EntitySource& entities, Response& out);
  Response authorize(const PolicySet& policies, const Request& request, const EntitySource& entities) {
    Response r;
    authorize(policies, request, entities, r);
    return r;
  }

  // How many policies the last call evaluated after the index narrowed them down (tests, stats).
  std::size_t last_candidates() const noexcept { return last_candidates_; }

 private:
  Arena scratch_{16384};
  std::vector<std::uint32_t> seen_;
  std::uint32_t stamp_ = 0;
  std::vector<const Policy*> forbids_;
  std::size_t last_candidates_ = 0;
};

}  // namespace paddock::cedar
