#include "net/proxy_context.hpp"

#include <algorithm>
#include <ctime>

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

audit::Decision to_decision(const policy::Verdict& verdict, std::string reason) {
  audit::Decision out;
  out.allowed = verdict.allowed;
  for (const auto& p : verdict.policies) out.policies.push_back({p.id, p.location});
  for (const auto& e : verdict.errors) out.errors.push_back(e.policy.id + ": " + e.message);
  out.reason = std::move(reason);
  return out;
}

std::int64_t now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace paddock::net
