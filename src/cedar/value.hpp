// Cedar values (Lean spec Value.lean): Bool, Long, String, EntityUID, Set, Record and the
// extension types decimal, ipaddr, datetime and duration.
//
// A Value is 24 bytes of plain data. Strings, set elements and record entries are not owned:
// they live in an Arena (arena.hpp) or another stable place belonging to whoever owns the value
// (policy set, entity store, request, evaluator). Entity UIDs are referenced by pointer for the
// same reason. That keeps evaluation free of heap allocation and reference counting.
//
// Sets are kept sorted by value_less() and deduplicated, records sorted by key, so equality is
// structural and order-insensitive as Cedar requires (`[1,2] == [2,1]`).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "cedar/arena.hpp"

namespace paddock::cedar {

// An entity's unique id: a type name ("NS::Type", normalised) and an id (any string).
class EntityUid {
 public:
  EntityUid() = default;
  EntityUid(std::string type, std::string id)
      : type_(std::move(type)), id_(std::move(id)), hash_(compute_hash(type_, id_)) {}

  const std::string& type() const noexcept { return type_; }
  const std::string& id() const noexcept { return id_; }
  std::size_t hash() const noexcept { return hash_; }

  friend bool operator==(const EntityUid& a, const EntityUid& b) noexcept {
    return a.hash_ == b.hash_ && a.id_ == b.id_ && a.type_ == b.type_;
  }
  // Cedar text form: Type::"id" with the id escaped.
  std::string to_string() const;

 private:
  static std::size_t compute_hash(std::string_view type, std::string_view id) noexcept;

  std::string type_;
  std::string id_;
  std::size_t hash_ = 0;
};

struct EntityUidHash {
  std::size_t operator()(const EntityUid& uid) const noexcept { return uid.hash(); }
};
// For maps keyed by pointers to UIDs kept elsewhere, compared by value.
struct EntityUidPtrHash {
  std::size_t operator()(const EntityUid* uid) const noexcept { return uid->hash(); }
};
struct EntityUidPtrEq {
  bool operator()(const EntityUid* a, const EntityUid* b) const noexcept { return *a == *b; }
};

enum class ValueType : std::uint8_t { Bool, Long, String, Entity, Set, Record, Decimal, IpAddr, DateTime, Duration };

std::string_view type_name(ValueType type) noexcept;

// An IPv4 or IPv6 address with a prefix length; IPv4 uses the first 4 bytes.
struct IpAddr {
  std::array<std::uint8_t, 16> bytes{};
  std::uint8_t prefix = 0;
  bool v4 = true;
};

struct RecordEntry;

class Value {
 public:
  Value() noexcept : type_(ValueType::Bool), b_(false) {}

  static Value boolean(bool b) noexcept {
    Value v;
    v.b_ = b;
    return v;
  }
  static Value long_(std::int64_t i) noexcept { return with_int(ValueType::Long, i); }
  static Value decimal(std::int64_t scaled) noexcept { return with_int(ValueType::Decimal, scaled); }
  static Value datetime(std::int64_t ms) noexcept { return with_int(ValueType::DateTime, ms); }
  static Value duration(std::int64_t ms) noexcept { return with_int(ValueType::Duration, ms); }
  static Value string(std::string_view s) noexcept {
    Value v;
    v.type_ = ValueType::String;
    v.size_ = static_cast<std::uint32_t>(s.size());
    v.str_ = s.data();
    return v;
  }
  static Value entity(const EntityUid* uid) noexcept {
    Value v;
    v.type_ = ValueType::Entity;
    v.uid_ = uid;
    return v;
  }
  static Value ip(const IpAddr& a) noexcept {
    Value v;
    v.type_ = ValueType::IpAddr;
    v.ip_v4_ = a.v4;
    v.ip_prefix_ = a.prefix;
    v.ip_ = a.bytes;
    return v;
  }
  // `elements` must already be sorted and deduplicated (see make_set).
  static Value set(std::span<const Value> elements) noexcept {
    Value v;
    v.type_ = ValueType::Set;
    v.size_ = static_cast<std::uint32_t>(elements.size());
    v.set_ = elements.data();
    return v;
  }
  // `entries` must be sorted by key without duplicates (see make_record).
  static Value record(std::span<const RecordEntry> entries) noexcept;

  ValueType type() const noexcept { return type_; }
  bool is(ValueType t) const noexcept { return type_ == t; }

  bool as_bool() const noexcept { return b_; }
  std::int64_t as_int() const noexcept { return i_; }  // Long, Decimal, DateTime, Duration
  std::string_view as_string() const noexcept { return {str_, size_}; }
  const EntityUid& as_entity() const noexcept { return *uid_; }
  std::span<const Value> as_set() const noexcept { return {set_, size_}; }
  std::span<const RecordEntry> as_record() const noexcept;
  IpAddr as_ip() const noexcept {
    IpAddr a;
    a.bytes = ip_;
    a.prefix = ip_prefix_;
    a.v4 = ip_v4_;
    return a;
  }

  // The value of a record's key, or nullptr.
  const Value* find(std::string_view key) const noexcept;

 private:
  static Value with_int(ValueType t, std::int64_t i) noexcept {
    Value v;
    v.type_ = t;
    v.i_ = i;
    return v;
  }

  ValueType type_;
  bool ip_v4_ = false;
  std::uint8_t ip_prefix_ = 0;
  std::uint32_t size_ = 0;
  union {
    bool b_;
    std::int64_t i_;
    const char* str_;
    const EntityUid* uid_;
    const Value* set_;
    const RecordEntry* record_;
    std::array<std::uint8_t, 16> ip_;
  };
};

struct RecordEntry {
  std::string_view key;
  Value value;
};

inline Value Value::record(std::span<const RecordEntry> entries) noexcept {
  Value v;
  v.type_ = ValueType::Record;
  v.size_ = static_cast<std::uint32_t>(entries.size());
  v.record_ = entries.data();
  return v;
}
inline std::span<const RecordEntry> Value::as_record() const noexcept {
  return {record_, size_};
}

// Structural equality; never fails (values of different types are unequal).
bool operator==(const Value& a, const Value& b) noexcept;
// A total order over all values, used to keep sets canonical.
int value_compare(const Value& a, const Value& b) noexcept;
inline bool value_less(const Value& a, const Value& b) noexcept {
  return value_compare(a, b) < 0;
}

// Sorts and deduplicates `elements` in place, copies them into `arena` and returns the set.
Value make_set(Arena& arena, std::span<Value> elements);
// Sorts `entries` by key, copies them into `arena`; returns false (and nothing) on a duplicate key.
bool make_record(Arena& arena, std::span<RecordEntry> entries, Value& out);
// Deep copy of a value into another arena (and its entity UIDs into `uids`), so that it
// outlives the storage it was built in.
Value copy_value(const Value& v, Arena& arena, const std::function<const EntityUid*(const EntityUid&)>& keep_uid);

// Cedar text form (what `paddock policy format` and error messages print).
std::string to_cedar(const Value& v);
// A string literal with Cedar escapes, including the quotes.
std::string quote_string(std::string_view s);

}  // namespace paddock::cedar
