// What a denial says to the person watching (DESIGN.md principle 3): one line naming what was
// denied, the policy that decided it (id and file:line) or the default deny, and what to do.
#pragma once

#include <string>
#include <string_view>

#include "audit/event.hpp"
#include "policy/engine.hpp"

namespace paddock::policy {

// `what`: "exec /usr/bin/git push --force", "connect evil.example:443" ...
// `allow_command`: the `paddock allow …` command that would permit it, when a permit can (a
// forbid always wins, so then the line points at the forbid instead).
std::string denial_line(std::string_view what, const Verdict& verdict, std::string_view allow_command);

// The verdict as an audit event's decision (policy ids and where they are written); `reason`
// says what decided when no policy did.
audit::Decision to_decision(const Verdict& verdict, std::string reason = {});

// Cedar text quoting for generated policies.
std::string cedar_string(std::string_view s);

}  // namespace paddock::policy
