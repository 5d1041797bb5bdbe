#include "cedar/entities.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "cedar/diagnostics.hpp"

namespace paddock::cedar {

bool Entity::has_ancestor(const EntityUid& other) const noexcept {
  const std::size_t h = other.hash();
  if (ancestors.size() <= 8) {
    for (const EntityUid* a : ancestors)
      if (*a == other) return true;
    return false;
  }
  auto it = std::lower_bound(ancestors.begin(), ancestors.end(), h,
                             [](const EntityUid* a, std::size_t hash) { return a->hash() < hash; });
  for (; it != ancestors.end() && (*it)->hash() == h; ++it)
    if (**it == other) return true;
  return false;
}

void Entity::sort_ancestors() {
  std::sort(ancestors.begin(), ancestors.end(),
            [](const EntityUid* a, const EntityUid* b) { return a->hash() < b->hash(); });
  ancestors.erase(
      std::unique(ancestors.begin(), ancestors.end(), [](const EntityUid* a, const EntityUid* b) { return *a == *b; }),
      ancestors.end());
}

Entity& EntityStore::add(const EntityUid& uid) {
  if (find(uid)) throw PolicyError(fmt::format("duplicate entity {}", uid.to_string()));
  auto entity = std::make_unique<Entity>();
  entity->uid = storage_->keep(uid);
  Entity& ref = *entity;
  entities_[entity->uid] = entity.get();
  order_.push_back(std::move(entity));
  return ref;
}

Entity* EntityStore::find_mutable(const EntityUid& uid) noexcept {
  Entity** e = entities_.find(uid);
  return e ? *e : nullptr;
}

const Entity* EntityStore::find(const EntityUid& uid) const noexcept {
  Entity* const* e = entities_.find(uid);
  return e ? *e : nullptr;
}

void EntityStore::finish() {
  // Depth-first over the parent graph, iteratively (hierarchies can be deep), memoising each
  // entity's closure; meeting an entity that is still on the stack is a cycle.
  enum class State : unsigned char { New, Active, Done };
  std::unordered_map<const Entity*, State> state;
  for (const auto& root : order_) {
    if (state[root.get()] == State::Done) continue;
    struct Frame {
      Entity* entity;
      std::size_t next_parent;
    };
    std::vector<Frame> stack{{root.get(), 0}};
    state[root.get()] = State::Active;
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.next_parent < f.entity->parents.size()) {
        const EntityUid* parent_uid = f.entity->parents[f.next_parent++];
        Entity* parent = find_mutable(*parent_uid);
        if (!parent) continue;  // a parent nobody defined: an ancestor, with no ancestors of its own
        State& s = state[parent];
        if (s == State::Active) {
          throw PolicyError(fmt::format("the entity hierarchy has a cycle through {}", parent_uid->to_string()));
        }
        if (s == State::New) {
          s = State::Active;
          stack.push_back(Frame{parent, 0});
        }
        continue;
      }
      Entity* e = f.entity;
      e->ancestors.assign(e->parents.begin(), e->parents.end());
      for (const EntityUid* p : e->parents) {
        if (const Entity* parent = find(*p))
          e->ancestors.insert(e->ancestors.end(), parent->ancestors.begin(), parent->ancestors.end());
      }
      e->sort_ancestors();
      state[e] = State::Done;
      stack.pop_back();
    }
  }
}

}  // namespace paddock::cedar
