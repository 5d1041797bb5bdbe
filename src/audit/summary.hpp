// One event as one line for a person watching (`paddock run --net-log`, later `audit tail`):
// the kind, what happened and the decision. The canonical record is the JSON line of the
// audit writer; this is only its human rendering.
#pragma once

#include <string>

#include "audit/event.hpp"

namespace paddock::audit {

std::string summary_line(const Event& event);

// The network kinds: net.connect, net.close, http.request, dns.
bool is_network(const Event& event) noexcept;

}  // namespace paddock::audit
