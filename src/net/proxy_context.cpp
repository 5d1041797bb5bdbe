#include "net/proxy_context.hpp"

#include <ctime>

namespace paddock::net {

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
