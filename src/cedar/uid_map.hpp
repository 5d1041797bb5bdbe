// A hash map from entity UIDs to values, for the lookups on the authorization path (entities
// by uid, the policy index). Open addressing with linear probing over a power-of-two table,
// keyed by pointers to UIDs that live elsewhere and compared by value, using the hash each
// EntityUid caches: a lookup is a mask, a hash compare and usually one string compare, with no
// division and no pointer chasing (std::unordered_map costs several times more here).
// Filled while building, then only read; lookups never allocate or throw.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "cedar/value.hpp"

namespace paddock::cedar {

template <class V>
class UidMap {
 public:
  // The value for `key`, default-constructed on first use. `key` must outlive the map.
  V& operator[](const EntityUid* key) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    Slot& slot = slots_[probe(*key)];
    if (!slot.key) {
      slot.key = key;
      ++size_;
    }
    return slot.value;
  }

  const V* find(const EntityUid& key) const noexcept {
    if (slots_.empty()) return nullptr;
    const Slot& slot = slots_[probe(key)];
    return slot.key ? &slot.value : nullptr;
  }
  V* find(const EntityUid& key) noexcept {
    if (slots_.empty()) return nullptr;
    Slot& slot = slots_[probe(key)];
    return slot.key ? &slot.value : nullptr;
  }

  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }

  template <class F>
  void for_each(F&& f) const {
    for (const auto& s : slots_)
      if (s.key) f(*s.key, s.value);
  }

 private:
  struct Slot {
    const EntityUid* key = nullptr;
    V value{};
  };

  // The index of the slot holding `key`, or of the empty slot where it would go (the table is
  // never full).
  std::size_t probe(const EntityUid& key) const noexcept {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = key.hash() & mask;
    while (true) {
      const Slot& slot = slots_[i];
      if (!slot.key || (slot.key->hash() == key.hash() && *slot.key == key)) return i;
      i = (i + 1) & mask;
    }
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.clear();
    slots_.resize(old.empty() ? 16 : old.size() * 2);
    for (auto& s : old) {
      if (!s.key) continue;
      Slot& slot = slots_[probe(*s.key)];
      slot.key = s.key;
      slot.value = std::move(s.value);
    }
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace paddock::cedar
