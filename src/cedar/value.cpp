#include "cedar/value.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "cedar/extensions.hpp"

namespace paddock::cedar {

std::size_t EntityUid::compute_hash(std::string_view type, std::string_view id) noexcept {
  std::size_t h = std::hash<std::string_view>{}(id);
  return h ^ (std::hash<std::string_view>{}(type) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

std::string EntityUid::to_string() const {
  return type_ + "::" + quote_string(id_);
}

std::string_view type_name(ValueType type) noexcept {
  switch (type) {
    case ValueType::Bool:
      return "bool";
    case ValueType::Long:
      return "long";
    case ValueType::String:
      return "string";
    case ValueType::Entity:
      return "entity";
    case ValueType::Set:
      return "set";
    case ValueType::Record:
      return "record";
    case ValueType::Decimal:
      return "decimal";
    case ValueType::IpAddr:
      return "ipaddr";
    case ValueType::DateTime:
      return "datetime";
    case ValueType::Duration:
      return "duration";
  }
  return "?";
}

const Value* Value::find(std::string_view key) const noexcept {
  auto entries = as_record();
  // Records are sorted by key; most are small, where a linear scan beats binary search.
  if (entries.size() <= 8) {
    for (const auto& e : entries)
      if (e.key == key) return &e.value;
    return nullptr;
  }
  auto it = std::lower_bound(entries.begin(), entries.end(), key,
                             [](const RecordEntry& e, std::string_view k) { return e.key < k; });
  return it != entries.end() && it->key == key ? &it->value : nullptr;
}

namespace {

template <class T>
int three_way(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int compare_uid(const EntityUid& a, const EntityUid& b) {
  if (&a == &b) return 0;
  int c = a.type().compare(b.type());
  if (c != 0) return c < 0 ? -1 : 1;
  c = a.id().compare(b.id());
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

int value_compare(const Value& a, const Value& b) noexcept {
  if (a.type() != b.type()) return three_way(a.type(), b.type());
  switch (a.type()) {
    case ValueType::Bool:
      return three_way(a.as_bool(), b.as_bool());
    case ValueType::Long:
    case ValueType::Decimal:
    case ValueType::DateTime:
    case ValueType::Duration:
      return three_way(a.as_int(), b.as_int());
    case ValueType::String: {
      int c = a.as_string().compare(b.as_string());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case ValueType::Entity:
      return compare_uid(a.as_entity(), b.as_entity());
    case ValueType::Set: {
      auto x = a.as_set();
      auto y = b.as_set();
      if (x.size() != y.size()) return three_way(x.size(), y.size());
      for (std::size_t i = 0; i < x.size(); ++i)
        if (int c = value_compare(x[i], y[i]); c != 0) return c;
      return 0;
    }
    case ValueType::Record: {
      auto x = a.as_record();
      auto y = b.as_record();
      if (x.size() != y.size()) return three_way(x.size(), y.size());
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (int c = x[i].key.compare(y[i].key); c != 0) return c < 0 ? -1 : 1;
        if (int c = value_compare(x[i].value, y[i].value); c != 0) return c;
      }
      return 0;
    }
    case ValueType::IpAddr: {
      IpAddr x = a.as_ip();
      IpAddr y = b.as_ip();
      if (x.v4 != y.v4) return x.v4 ? -1 : 1;
      if (int c = three_way(x.bytes, y.bytes); c != 0) return c;
      return three_way(x.prefix, y.prefix);
    }
  }
  return 0;
}

bool operator==(const Value& a, const Value& b) noexcept {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case ValueType::Bool:
      return a.as_bool() == b.as_bool();
    case ValueType::Long:
    case ValueType::Decimal:
    case ValueType::DateTime:
    case ValueType::Duration:
      return a.as_int() == b.as_int();
    case ValueType::String:
      return a.as_string() == b.as_string();
    case ValueType::Entity:
      return a.as_entity() == b.as_entity();
    default:
      return value_compare(a, b) == 0;
  }
}

Value make_set(Arena& arena, std::span<Value> elements) {
  std::sort(elements.begin(), elements.end(), value_less);
  auto end = std::unique(elements.begin(), elements.end());
  std::size_t n = static_cast<std::size_t>(end - elements.begin());
  Value* out = arena.allocate_array<Value>(n);
  std::copy(elements.begin(), end, out);
  return Value::set({out, n});
}

bool make_record(Arena& arena, std::span<RecordEntry> entries, Value& out) {
  std::sort(entries.begin(), entries.end(), [](const RecordEntry& x, const RecordEntry& y) { return x.key < y.key; });
  for (std::size_t i = 1; i < entries.size(); ++i)
    if (entries[i].key == entries[i - 1].key) return false;
  RecordEntry* stored = arena.allocate_array<RecordEntry>(entries.size());
  std::copy(entries.begin(), entries.end(), stored);
  out = Value::record({stored, entries.size()});
  return true;
}

Value copy_value(const Value& v, Arena& arena, const std::function<const EntityUid*(const EntityUid&)>& keep_uid) {
  switch (v.type()) {
    case ValueType::String:
      return Value::string(arena.copy(v.as_string()));
    case ValueType::Entity:
      return Value::entity(keep_uid(v.as_entity()));
    case ValueType::Set: {
      auto elements = v.as_set();
      Value* out = arena.allocate_array<Value>(elements.size());
      for (std::size_t i = 0; i < elements.size(); ++i) out[i] = copy_value(elements[i], arena, keep_uid);
      return Value::set({out, elements.size()});
    }
    case ValueType::Record: {
      auto entries = v.as_record();
      RecordEntry* out = arena.allocate_array<RecordEntry>(entries.size());
      for (std::size_t i = 0; i < entries.size(); ++i)
        out[i] = RecordEntry{arena.copy(entries[i].key), copy_value(entries[i].value, arena, keep_uid)};
      return Value::record({out, entries.size()});
    }
    default:
      return v;
  }
}

std::string quote_string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\0':
        out += "\\0";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\u{{{:x}}}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

std::string to_cedar(const Value& v) {
  switch (v.type()) {
    case ValueType::Bool:
      return v.as_bool() ? "true" : "false";
    case ValueType::Long:
      return std::to_string(v.as_int());
    case ValueType::String:
      return quote_string(v.as_string());
    case ValueType::Entity:
      return v.as_entity().to_string();
    case ValueType::Set: {
      std::string out = "[";
      for (const auto& e : v.as_set()) out += (out.size() > 1 ? ", " : "") + to_cedar(e);
      return out + "]";
    }
    case ValueType::Record: {
      std::string out = "{";
      for (const auto& e : v.as_record())
        out += (out.size() > 1 ? ", " : "") + quote_string(e.key) + ": " + to_cedar(e.value);
      return out + "}";
    }
    case ValueType::Decimal:
      return "decimal(" + quote_string(format_decimal(v.as_int())) + ")";
    case ValueType::IpAddr:
      return "ip(" + quote_string(format_ip(v.as_ip())) + ")";
    case ValueType::DateTime:
      return "datetime(" + quote_string(format_datetime(v.as_int())) + ")";
    case ValueType::Duration:
      return "duration(" + quote_string(format_duration(v.as_int())) + ")";
  }
  return "?";
}

}  // namespace paddock::cedar
