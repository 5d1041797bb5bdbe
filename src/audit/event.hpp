// The one event model of paddock (DESIGN.md, "Audit"): every source (the runtime's exec
// notifications, the egress proxy, the DNS stub, the MCP interposer, the credential broker, the
// policy loader, the run's lifecycle) describes what happened as one of these types and hands it
// to an audit::Sink. The audit writer gives each event its sequence number and hash and writes it
// as one canonical JSON line (docs/audit.md); the control socket streams the same lines live.
//
// Producers depend on this header only; they never see the writer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace paddock::audit {

// A policy that determined a decision: its @id (or Cedar's "policyN") and where it is written,
// "strict.cedar:12" (empty for built-in decisions such as "private address").
struct PolicyRef {
  std::string id;
  std::string location;
};

// What was decided, and why. `allowed` false with no policies is the default deny; `reason`
// says in words what decided when no policy did (for example "resolved to a private address").
struct Decision {
  bool allowed = true;
  std::vector<PolicyRef> policies;
  std::vector<std::string> errors;  // policies skipped because their evaluation failed
  std::string reason;
};

// ---- kinds ----------------------------------------------------------------------------------

// "exec": an execve inside the sandbox.
struct Exec {
  std::int64_t pid = 0;
  std::int64_t ppid = 0;
  std::string path;
  std::vector<std::string> argv;
  std::string cwd;
  bool argv_truncated = false;
  Decision decision;
};

// "file": a file inside the sandbox's workspace or scratch trees was closed (fanotify
// observation, root runs). The decision is the policy's on that open, which the kernel layers
// had already allowed.
struct File {
  std::int64_t pid = 0;  // 0: the process had exited before the supervisor read the event
  std::string path;
  std::string access;  // "read", "write" (the file was open for writing)
  Decision decision;
};

// "net.connect": one connection's NetworkConnect decision, before any byte went upstream.
struct NetConnect {
  std::uint64_t connection = 0;  // the proxy's connection number, shared with net.close and http.request
  std::string protocol;          // "http", "connect", "socks5"
  std::string host;              // as asked (a name, or a normalised IP literal)
  std::uint16_t port = 0;
  std::string ip;            // the resolved, pinned address ("" when never resolved)
  bool intercepted = false;  // TLS interception on this connection
  Decision decision;
};

// "net.close": the end of an allowed connection.
struct NetClose {
  std::uint64_t connection = 0;
  std::uint64_t bytes_up = 0;    // sandbox -> upstream
  std::uint64_t bytes_down = 0;  // upstream -> sandbox
  std::uint64_t duration_us = 0;
  std::string error;  // "" on a clean close
};

// "http.request": one request the proxy saw in the clear (plain HTTP, or intercepted TLS).
struct HttpRequest {
  std::uint64_t connection = 0;
  std::string method;
  std::string url;  // scheme://host[:port]/path?query, known secret values redacted
  std::string host;
  std::uint16_t port = 0;
  int status = 0;  // the response's status (0 when none: denied or failed)
  std::uint64_t request_bytes = 0;
  std::uint64_t response_bytes = 0;
  std::uint64_t duration_us = 0;
  std::vector<std::string> secrets;   // names of the secrets injected into this request
  std::vector<std::string> rewrites;  // headers rewritten by HttpRewrite policies
  Decision decision;
};

// "dns": one query to the sandbox's DNS stub.
struct Dns {
  std::string name;
  std::string type;                  // "A", "AAAA", ...
  std::vector<std::string> answers;  // the addresses given (empty when refused)
  Decision decision;
};

// "mcp.call": a tools/call (or another method) through the MCP interposer.
struct McpCall {
  std::string server;
  std::string method;  // "tools/call", "tools/list", ...
  std::string tool;
  std::string arguments;  // the call's arguments as compact JSON, secrets redacted
  Decision decision;
};

// "secret.use": the proxy put a secret's real value into a request (or refused to).
struct SecretUse {
  std::uint64_t connection = 0;
  std::string secret;
  std::string host;
  std::string header;
  Decision decision;
};

// "policy.load", "policy.reload", "policy.reject".
struct Policy {
  enum class Change { load, reload, reject };
  Change change = Change::load;
  std::string profile;
  std::vector<std::string> files;
  std::string hash;  // SHA-256 (hex) over the policy texts in order
  std::size_t policies = 0;
  std::vector<std::string> diagnostics;  // reject: what was wrong
};

// "sandbox.start".
struct SandboxStart {
  std::vector<std::string> command;
  std::string workspace;
  std::string profile;
  std::string agent;
  std::int64_t init_pid = 0;
};

// "sandbox.exit".
struct SandboxExit {
  int exit_status = 0;  // the command's (128+N for signal N)
  std::uint64_t duration_us = 0;
  bool file_events_lost = false;  // the kernel's queue of file events overflowed during the run
};

using Body = std::variant<Exec, File, NetConnect, NetClose, HttpRequest, Dns, McpCall, SecretUse, Policy, SandboxStart,
                          SandboxExit>;

struct Event {
  std::int64_t time_ns = 0;  // CLOCK_REALTIME when it happened; set by the producer (now() if 0)
  Body body;
};

// CLOCK_REALTIME in ns: the time of an event.
std::int64_t now_ns() noexcept;

// The event's kind as it appears in the log: "exec", "net.connect", "policy.reload" ...
std::string_view kind(const Event& event) noexcept;

// Where producers send events. record() is thread-safe, never blocks on the disk and never
// throws: a decision must not wait for the audit trail. The event is taken by rvalue reference:
// one move into the queue, not two (the hot path of every decision).
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void record(Event&& event) noexcept = 0;
};

// A sink that drops everything (tests, and runs that keep no trail).
class NullSink final : public Sink {
 public:
  void record(Event&&) noexcept override {}
};

}  // namespace paddock::audit
