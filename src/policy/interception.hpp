// What the policy needs the proxy to see inside TLS (DESIGN.md, "Network": interception is on
// by default for hosts with request rules or credentials). Read from the policies' text ahead
// of each connection; the decisions themselves stay Cedar's (PolicyEngine::http_request,
// http_rewrite), so these functions only say which connections and which candidates to ask.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cedar/policy_set.hpp"

namespace paddock::policy {

// Whether a policy on HttpRequest or HttpRewrite names this host (in its scope, or Leash's
// `resource in [...]` inside a when-clause), or a forbid on HttpRequest covers every host:
// such a policy can decide nothing unless the proxy reads the requests.
bool has_request_rules(const cedar::PolicySet& policies, std::string_view host, std::uint16_t port);

// A header an HttpRewrite policy sets, Leash's form:
//   permit (principal, action == Action::"HttpRewrite", resource == Host::"api.example.com")
//   when { context.header == "Authorization" && context.value == "Bearer ..." };
struct HeaderRewrite {
  std::string header;  // as written
  std::string value;
};
// The candidates of the permits on HttpRewrite that may apply to this host; the proxy asks
// Cedar about each (so forbids and every other condition still decide).
std::vector<HeaderRewrite> rewrite_candidates(const cedar::PolicySet& policies, std::string_view host,
                                              std::uint16_t port);

}  // namespace paddock::policy
