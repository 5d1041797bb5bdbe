// An event's body as the canonical JSON object of its record's "event" member (docs/audit.md
// lists the members of each kind).
#pragma once

#include <string>
#include <string_view>

#include "audit/event.hpp"

namespace paddock::audit {

void append_event_json(std::string& out, const Body& body);

// The inverse, for the readers (`paddock audit tail`, `query`): the body of a record of `kind`.
// Throws Error when the kind is unknown or the JSON is not that kind's event.
Body parse_event_json(std::string_view kind, std::string_view event_json);

}  // namespace paddock::audit
