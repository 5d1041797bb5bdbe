// Cedar's JSON data formats (docs: "Entities & context syntax"): attribute and context values,
// entity UIDs, and entity lists. Integers are read as exact 64-bit values (never through a
// double); escapes `{"__entity": {"type", "id"}}` and `{"__extn": {"fn", "arg"}}` are
// understood. With a schema (schema.hpp), values are read as the schema types them: an
// `{"type","id"}` object or a string where the schema wants an entity or an extension value.
//
// Malformed input throws PolicyError naming where in the document it is (e.g.
// `entities[3].attrs.owner`).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "cedar/entities.hpp"
#include "cedar/value.hpp"

namespace paddock::cedar {

class Schema;
struct SchemaType;

// Parses JSON text; duplicate object keys are an error (Cedar rejects them), as is nesting
// deeper than kMaxNesting.
nlohmann::json parse_json_text(std::string_view text, const std::string& what);

// {"type": "T", "id": "x"} or {"__entity": {...}}.
EntityUid uid_from_json(const nlohmann::json& j, const std::string& where);
nlohmann::json uid_to_json(const EntityUid& uid);
// `Action` or `NS::Action`: the types action entities have.
bool is_action_type(std::string_view type) noexcept;

// A Cedar value. `expected` (may be null) directs the parse as a schema would.
Value value_from_json(const nlohmann::json& j, LiteralStore& store, const std::string& where,
                      const SchemaType* expected = nullptr, const Schema* schema = nullptr);
nlohmann::json value_to_json(const Value& v);

// Adds the entities of a JSON array to `store` (then call store.finish()). With a schema,
// attributes and tags are read as the entity type declares them, and the schema's action
// entities (with their groups) are added too.
void load_entities_json(const nlohmann::json& j, EntityStore& store, const Schema* schema = nullptr);

// A request context: a JSON object (or null/absent = empty record). With a schema and an
// action, read as the action's context type.
Value context_from_json(const nlohmann::json& j, LiteralStore& store, const Schema* schema = nullptr,
                        const EntityUid* action = nullptr);

}  // namespace paddock::cedar
