// A tool call's arguments (any JSON) as the Cedar value policies read in context.arguments.
// Cedar has no null and no floating point: null members are left out, and a number that is not
// a 64-bit integer becomes its JSON text. Arrays become sets (order and repeats are lost).
#pragma once

#include <nlohmann/json.hpp>

#include "cedar/arena.hpp"
#include "cedar/value.hpp"

namespace paddock::mcp {

// `arguments` absent or null: the empty record. Nested deeper than 32 levels: the JSON text.
cedar::Value arguments_value(const nlohmann::json& arguments, cedar::Arena& arena);

}  // namespace paddock::mcp
