#include "mcp/arguments.hpp"

#include <cstdint>
#include <limits>
#include <vector>

namespace paddock::mcp {
namespace {

using nlohmann::json;
constexpr int kMaxDepth = 32;

cedar::Value text(const std::string& s, cedar::Arena& arena) {
  return cedar::Value::string(arena.copy(s));
}

cedar::Value convert(const json& j, cedar::Arena& arena, int depth) {
  if (depth > kMaxDepth) return text(j.dump(), arena);
  switch (j.type()) {
    case json::value_t::boolean:
      return cedar::Value::boolean(j.get<bool>());
    case json::value_t::number_integer:
      return cedar::Value::long_(j.get<std::int64_t>());
    case json::value_t::number_unsigned: {
      const auto u = j.get<std::uint64_t>();
      if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return cedar::Value::long_(static_cast<std::int64_t>(u));
      return text(j.dump(), arena);
    }
    case json::value_t::string:
      return text(j.get_ref<const std::string&>(), arena);
    case json::value_t::array: {
      std::vector<cedar::Value> elements;
      for (const auto& e : j)
        if (!e.is_null()) elements.push_back(convert(e, arena, depth + 1));
      return cedar::make_set(arena, elements);
    }
    case json::value_t::object: {
      std::vector<cedar::RecordEntry> entries;
      for (const auto& [key, value] : j.items())
        if (!value.is_null()) entries.push_back({arena.copy(key), convert(value, arena, depth + 1)});
      cedar::Value out = cedar::Value::record({});
      cedar::make_record(arena, entries, out);  // JSON objects here have unique keys
      return out;
    }
    default:  // floating point (null members never get here)
      return text(j.dump(), arena);
  }
}

}  // namespace

cedar::Value arguments_value(const nlohmann::json& arguments, cedar::Arena& arena) {
  if (arguments.is_null()) return cedar::Value::record({});
  return convert(arguments, arena, 0);
}

}  // namespace paddock::mcp
