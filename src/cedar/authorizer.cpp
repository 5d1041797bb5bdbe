#include "cedar/authorizer.hpp"

namespace paddock::cedar {

std::string_view decision_name(Decision d) noexcept {
  return d == Decision::Allow ? "allow" : "deny";
}

void Authorizer::authorize(const PolicySet& policies, const Request& request, const EntitySource& entities,
                           Response& out) {
  out.decision = Decision::Deny;
  out.determining.clear();
  out.errors.clear();
  forbids_.clear();
  scratch_.reset();
  last_candidates_ = 0;

  const auto& all = policies.policies();
  if (seen_.size() < all.size()) seen_.resize(all.size(), stamp_);
  if (++stamp_ == 0) {  // wrapped: make every entry differ from the new stamp
    std::fill(seen_.begin(), seen_.end(), 0);
    stamp_ = 1;
  }

  Evaluator evaluator(request, entities, scratch_);
  policies.for_each_candidate(
      *request.action, evaluator.action_entity(), *request.resource, evaluator.resource_entity(), seen_.data(), stamp_,
      [&](std::uint32_t index) {
        ++last_candidates_;
        const Policy& p = all[index];
        const PolicyAst& ast = *p.ast;
        if (!evaluator.scope_matches(ast.principal, *request.principal, p.slots) ||
            !evaluator.scope_matches(ast.action, *request.action, p.slots) ||
            !evaluator.scope_matches(ast.resource, *request.resource, p.slots))
          return;
        bool satisfied = true;
        for (const Condition& c : ast.conditions) {
          Value v;
          if (!evaluator.eval(c.body, v, p.slots)) {
            out.errors.push_back(PolicyEvalError{&p, evaluator.error()});
            return;
          }
          if (!v.is(ValueType::Bool)) {
            EvalError e{ErrorKind::TypeError, c.body.span,
                        std::string("type error: a condition must be a bool, got ") + std::string(type_name(v.type()))};
            out.errors.push_back(PolicyEvalError{&p, std::move(e)});
            return;
          }
          if (v.as_bool() != c.is_when) {
            satisfied = false;
            break;
          }
        }
        if (!satisfied) return;
        (p.effect() == Effect::Forbid ? forbids_ : out.determining).push_back(&p);
      });
  if (forbids_.empty() && !out.determining.empty()) {
    out.decision = Decision::Allow;
  } else {
    out.decision = Decision::Deny;
    out.determining.swap(forbids_);
  }
}

}  // namespace paddock::cedar
