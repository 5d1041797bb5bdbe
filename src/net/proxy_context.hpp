// What every connection of one proxy shares: the policy engine, the gate, the resolver, and
// where it reports (audit events, and one line per denial for the person watching). The
// supervisor's event loop is single-threaded, so nothing here needs a lock.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "audit/event.hpp"
#include "creds/grants.hpp"
#include "net/connect_gate.hpp"
#include "net/resolver.hpp"
#include "policy/denials.hpp"
#include "policy/engine.hpp"

namespace paddock::net {

struct ProxyReport {
  audit::Sink& events;
  std::function<void(const std::string&)> denied;  // one line per denial
};

class TlsContexts;

// TLS interception (DESIGN.md, "Network"): on by default for hosts with granted secrets or
// request rules (policy/interception.hpp); `always` and `never` (bindings as for secrets,
// "*" for every host) override that, `never` first. Without `tls` nothing is intercepted.
struct Interception {
  std::shared_ptr<TlsContexts> tls;
  creds::Grants grants;
  std::vector<std::string> always;
  std::vector<std::string> never;
};

struct ProxyContext {
  ProxyContext(policy::PolicyEngine& engine_, std::unique_ptr<Resolver> resolver_, ProxyReport report_,
               Interception interception_)
      : engine(engine_),
        resolver(std::move(resolver_)),
        gate(engine_, *resolver),
        report(std::move(report_)),
        interception(std::move(interception_)) {}

  // Whether the proxy reads this connection's requests inside TLS.
  bool intercepts(const std::string& host, std::uint16_t port) const;

  policy::PolicyEngine& engine;
  std::unique_ptr<Resolver> resolver;
  ConnectGate gate;
  ProxyReport report;
  Interception interception;
  std::uint64_t next_connection = 1;
  std::chrono::seconds connect_timeout{15};
};

// The deciding policies' ids, comma-separated (the X-Paddock-Policy field of a refusal).
std::string policy_ids(const policy::Verdict& verdict);

using audit::now_ns;
using policy::to_decision;

}  // namespace paddock::net
