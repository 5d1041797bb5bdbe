#include "net/proxy_context.hpp"

#include <algorithm>

#include "policy/interception.hpp"

namespace paddock::net {

bool ProxyContext::intercepts(const std::string& host, std::uint16_t port) const {
  if (!interception.tls) return false;
  auto listed = [&](const std::vector<std::string>& bindings) {
    return std::any_of(bindings.begin(), bindings.end(), [&](const std::string& binding) {
      return binding == "*" || creds::binding_covers(binding, host, port);
    });
  };
  if (listed(interception.never)) return false;
  return listed(interception.always) || interception.grants.binds(host, port) ||
         policy::has_request_rules(engine.policies(), host, port);
}

std::string policy_ids(const policy::Verdict& verdict) {
  std::string out;
  for (const auto& p : verdict.policies) out += (out.empty() ? "" : ",") + p.id;
  return out;
}

}  // namespace paddock::net
