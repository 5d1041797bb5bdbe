// A compiled, immutable set of policies: static policies and template links, with
//  - ids (positional `policyN` as Cedar assigns them, or `@id("...")` when asked),
//  - the source file and line of each policy (for "denied by policy3 at rules.cedar:12"),
//  - constant sub-expressions folded once (e.g. ip("10.0.0.0/8") is parsed at load time),
//  - an index by action and then by resource entity, so a request only evaluates the policies
//    whose scope can match it.
// Build one with PolicySetBuilder; share it as std::shared_ptr<const PolicySet> and swap the
// pointer atomically to hot-reload (evaluation never mutates it, any number of threads may use
// one set at once).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cedar/ast.hpp"
#include "cedar/diagnostics.hpp"
#include "cedar/evaluator.hpp"
#include "cedar/uid_map.hpp"

namespace paddock::cedar {

struct Policy {
  std::string id;
  std::shared_ptr<const PolicyAst> ast;  // a link shares its template's AST
  SlotValues slots;                      // the link's slot values; empty for a static policy
  std::string template_id;               // set for links

  Effect effect() const noexcept { return ast->effect; }
  bool is_link() const noexcept { return !template_id.empty(); }
  // "file:line" of the policy text (of the template for a link).
  std::string location() const;
};

class PolicySet {
 public:
  const std::vector<Policy>& policies() const noexcept { return policies_; }
  const Policy* find(std::string_view id) const noexcept;
  // Templates by id (not evaluated until linked).
  const std::map<std::string, std::shared_ptr<const PolicyAst>, std::less<>>& templates() const noexcept {
    return templates_;
  }

  // Calls f(policy index) for every policy whose action and resource scope may match; each index
  // at most once provided `seen` is an array of policies().size() entries, all != `stamp` on entry.
  template <class F>
  void for_each_candidate(const EntityUid& action, const Entity* action_entity, const EntityUid& resource,
                          const Entity* resource_entity, std::uint32_t* seen, std::uint32_t stamp, F&& f) const;

 private:
  friend class PolicySetBuilder;

  // Policies whose action scope names the same action (or any action), split by resource scope.
  struct ResourceIndex {
    std::vector<std::uint32_t> any_resource;  // resource scope without a fixed entity
    UidMap<std::vector<std::uint32_t>> by_resource;
  };
  template <class F>
  void visit(const ResourceIndex& index, const EntityUid& resource, const Entity* resource_entity, std::uint32_t* seen,
             std::uint32_t stamp, F& f) const;

  std::vector<Policy> policies_;
  std::map<std::string, std::shared_ptr<const PolicyAst>, std::less<>> templates_;
  std::unordered_map<std::string_view, std::size_t> by_id_;
  ResourceIndex any_action_;
  UidMap<ResourceIndex> by_action_;
  std::shared_ptr<LiteralStore> store_;  // literal values of every policy (shared with the builder's ASTs)
  std::vector<std::shared_ptr<LiteralStore>> extra_stores_;
};

// How policies get their ids.
enum class PolicyIds {
  Positional,   // policy0, policy1, ... across all added text, as Cedar does
  Annotations,  // @id("...") when present (must be unique), else positional
};

class PolicySetBuilder {
 public:
  explicit PolicySetBuilder(PolicyIds ids = PolicyIds::Positional);

  // Parses policy text; static policies are added, templates registered (id: policyN or @id).
  // Returns the diagnostics (errors mean nothing of this text was added).
  std::vector<Diagnostic> add_text(std::string name, std::string text);
  // Adds policies in the JSON format (est.hpp): one policy object, an array of them, or a
  // policy set {"staticPolicies": {id: policy}, "templates": {id: policy}, "templateLinks":
  // [{"templateId", "newId", "values": {"?principal": uid}}]}. Throws PolicyError.
  void add_json(const nlohmann::json& j);
  // Adds an already parsed policy (e.g. from the JSON format) under the given id.
  void add_policy(std::string id, PolicyAst ast);
  void add_template(std::string id, PolicyAst ast);
  // Parses a template from text (one policy with slots) under the given id.
  std::vector<Diagnostic> add_template_text(std::string id, std::string name, std::string text);
  // Links a template; throws PolicyError for an unknown template, a missing or extra slot
  // value, or a duplicate id.
  void link(const std::string& template_id, std::string new_id, std::optional<EntityUid> principal,
            std::optional<EntityUid> resource);

  // Compiles everything added; throws PolicyError on duplicate ids. The builder is spent.
  std::shared_ptr<const PolicySet> build();

  // Storage for literals of ASTs made elsewhere (EST) before add_policy().
  LiteralStore& store() noexcept { return *store_; }

  // Adds text and throws PolicyError with all diagnostics when it does not parse.
  void add_text_or_throw(std::string name, std::string text);

 private:
  std::string next_id(const PolicyAst& ast);
  void check_new_id(const std::string& id) const;

  PolicyIds ids_;
  std::size_t positional_ = 0;
  std::shared_ptr<LiteralStore> store_ = std::make_shared<LiteralStore>();
  std::vector<Policy> policies_;
  std::map<std::string, std::shared_ptr<const PolicyAst>, std::less<>> templates_;
};

// Folds constant sub-expressions of `e` in place (literals, sets, records and extension calls
// over them), keeping the results in `store`. Sub-expressions that would error are left alone
// so that the error happens when (and if) evaluation reaches them.
void fold_constants(Expr& e, LiteralStore& store);

}  // namespace paddock::cedar

#include "cedar/policy_set_inl.hpp"
