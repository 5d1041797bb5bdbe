// Decisions over paddock's vocabulary: one Cedar authorization per question, with the
// entities synthesised for it. The supervisor asks on its single event-loop thread; the
// compiler asks the same questions ahead of time to build the kernel layers. A broken policy
// never gets this far (loader.hpp rejects it); evaluation errors skip the erring policy, as
// Cedar defines, and are reported in the verdict.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cedar/arena.hpp"
#include "cedar/authorizer.hpp"
#include "cedar/policy_set.hpp"
#include "cedar/value.hpp"
#include "policy/request_entities.hpp"

namespace paddock::policy {

// A policy that determined a decision: its id and where it is written ("strict.cedar:12").
struct PolicyRef {
  std::string id;
  std::string location;
};

// A policy skipped because its evaluation failed (Cedar's semantics: it does not count).
struct PolicyFailure {
  PolicyRef policy;
  bool permit = true;
  std::string message;
};

struct Verdict {
  bool allowed = false;
  std::vector<PolicyRef> policies;  // empty for the default deny
  std::vector<PolicyFailure> errors;
};

struct ExecQuery {
  std::string path;
  std::vector<std::string> argv;
  std::string cwd;
  std::int64_t pid = 0;
  // Ahead-of-time questions (the compiler): a directory tree rather than one file, and a
  // context of the path alone, so that policies needing more of it fail and show themselves.
  bool directory = false;
  bool path_only = false;
};

struct ConnectQuery {
  std::string host;  // canonical name or IP literal (no brackets)
  std::uint16_t port = 0;
  std::optional<cedar::IpAddr> ip;
  std::string protocol;  // "http", "connect", "socks5", "dns"
  // The host is a loopback, private or metadata address: its resource is left out of
  // Host::"*", so only a policy naming the address (or every resource) allows it.
  bool named_only = false;
};

struct HttpQuery {
  std::string host;
  std::uint16_t port = 0;
  std::string method, path, query, scheme;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
};

class PolicyEngine {
 public:
  PolicyEngine(std::shared_ptr<const cedar::PolicySet> policies, Identity identity, std::vector<Location> locations);

  // Hot reload: later questions use the new set.
  void replace(std::shared_ptr<const cedar::PolicySet> policies) { policies_ = std::move(policies); }
  const cedar::PolicySet& policies() const noexcept { return *policies_; }
  const RequestEntities& entities() const noexcept { return entities_; }

  Verdict file(std::string_view path, bool directory, bool write);
  Verdict exec(const ExecQuery& query);
  Verdict connect(const ConnectQuery& query);
  Verdict http_request(const HttpQuery& query);
  Verdict http_rewrite(std::string_view host, std::uint16_t port, std::string_view header, std::string_view value);
  Verdict use_secret(std::string_view secret, std::string_view host, std::uint16_t port, std::string_view header);
  Verdict mcp_call(std::string_view server, std::string_view tool, const cedar::Value& arguments);

  // Storage for context values the caller builds (strings, records) for the next question.
  cedar::Arena& scratch() noexcept { return scratch_; }

 private:
  // Entries are the context's own fields; `sandbox` and `agent` are added.
  Verdict decide(std::string_view action, std::vector<cedar::RecordEntry> context);
  cedar::Value text(std::string_view s) { return cedar::Value::string(scratch_.copy(s)); }

  std::shared_ptr<const cedar::PolicySet> policies_;
  RequestEntities entities_;
  cedar::Authorizer authorizer_;
  cedar::Response response_;
  cedar::Arena scratch_{4096};
};

}  // namespace paddock::policy
