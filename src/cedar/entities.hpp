// Entities (Lean Spec/Entities.lean): uid, attributes, tags and parents, with the transitive
// closure of the parent relation precomputed (Cedar's `in` is ancestry plus equality).
//
// Evaluation reads entities through EntitySource, so a caller can supply them however it
// likes: EntityStore holds a loaded data set (entities JSON); paddock's policy layer
// synthesises a file's ancestor directories or a host's wildcard domains per request without
// building a store. An entity the source does not know is not an error by itself: `has` is
// false and attribute access errors, exactly as in Cedar.
#pragma once

#include <memory>
#include <vector>

#include "cedar/ast.hpp"
#include "cedar/uid_map.hpp"
#include "cedar/value.hpp"

namespace paddock::cedar {

struct Entity {
  const EntityUid* uid = nullptr;
  Value attrs = Value::record({});          // a Record
  Value tags = Value::record({});           // a Record (tag name -> value)
  std::vector<const EntityUid*> parents;    // as declared
  std::vector<const EntityUid*> ancestors;  // transitive closure, sorted by hash (see sort_ancestors)

  // Whether `other` is an ancestor (not equality: `in` checks that first).
  bool has_ancestor(const EntityUid& other) const noexcept;
  // Call after filling `ancestors` by hand (EntityStore::finish does it for stored entities).
  void sort_ancestors();
};

class EntitySource {
 public:
  virtual ~EntitySource() = default;
  // The entity, or nullptr when unknown. The pointer must stay valid during the authorization
  // call it was returned in. Must not throw: it runs on the evaluation path.
  virtual const Entity* find(const EntityUid& uid) const noexcept = 0;
};

// No entities at all.
class EmptyEntities final : public EntitySource {
 public:
  const Entity* find(const EntityUid&) const noexcept override { return nullptr; }
};

// Two sources as one: `first` answers, `second` fills in. For paddock, the entities synthesised
// for one request (a file and its directories) over a store of the long-lived ones (agents,
// sandboxes, action groups).
class LayeredEntities final : public EntitySource {
 public:
  LayeredEntities(const EntitySource& first, const EntitySource& second) noexcept : first_(first), second_(second) {}
  const Entity* find(const EntityUid& uid) const noexcept override {
    const Entity* e = first_.find(uid);
    return e ? e : second_.find(uid);
  }

 private:
  const EntitySource& first_;
  const EntitySource& second_;
};

// A loaded set of entities. Fill it with add() (or load_entities_json, entities_json.hpp),
// then call finish(), which computes every entity's ancestors and rejects cycles.
class EntityStore final : public EntitySource {
 public:
  EntityStore() = default;
  EntityStore(const EntityStore&) = delete;
  EntityStore& operator=(const EntityStore&) = delete;
  EntityStore(EntityStore&&) noexcept = default;
  EntityStore& operator=(EntityStore&&) noexcept = default;
  ~EntityStore() override = default;

  // A new, empty entity; throws PolicyError if the uid is already present.
  Entity& add(const EntityUid& uid);
  Entity* find_mutable(const EntityUid& uid) noexcept;
  // Storage for attribute and tag values (strings, sets, records, referenced uids).
  LiteralStore& storage() noexcept { return *storage_; }
  // Computes ancestors; throws PolicyError naming an entity on a cycle.
  void finish();

  const Entity* find(const EntityUid& uid) const noexcept override;
  std::size_t size() const noexcept { return entities_.size(); }
  template <class F>
  void for_each(F&& f) const {
    for (const auto& e : order_) f(*e);
  }

 private:
  std::unique_ptr<LiteralStore> storage_ = std::make_unique<LiteralStore>();
  UidMap<Entity*> entities_;
  std::vector<std::unique_ptr<Entity>> order_;
};

}  // namespace paddock::cedar
