#include "audit/summary.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

namespace paddock::audit {
namespace {

std::string verdict(const Decision& decision) {
  std::string out = decision.allowed ? "allow" : "deny";
  std::vector<std::string> ids;
  for (const auto& policy : decision.policies) ids.push_back(policy.id);
  if (!ids.empty()) out += fmt::format(" [{}]", fmt::join(ids, ","));
  if (!decision.reason.empty()) out += " (" + decision.reason + ")";
  return out;
}

std::string endpoint(const std::string& host, std::uint16_t port) {
  return host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
}

struct Render {
  std::string operator()(const Exec& e) const {
    return fmt::format("exec pid {} {} {} {}", e.pid, e.path, fmt::join(e.argv, " "), verdict(e.decision));
  }
  std::string operator()(const File& e) const {
    return fmt::format("file {} {} {}", e.access, e.path, verdict(e.decision));
  }
  std::string operator()(const NetConnect& e) const {
    return fmt::format("net #{} {} {}{} {}", e.connection, e.protocol, endpoint(e.host, e.port),
                       e.ip.empty() || e.ip == e.host ? "" : " ip " + e.ip, verdict(e.decision));
  }
  std::string operator()(const NetClose& e) const {
    return fmt::format("net #{} closed up {} B down {} B {} ms{}", e.connection, e.bytes_up, e.bytes_down,
                       e.duration_us / 1000, e.error.empty() ? "" : " error: " + e.error);
  }
  std::string operator()(const HttpRequest& e) const {
    return fmt::format("http #{} {} {} -> {} up {} B down {} B {} us {}", e.connection, e.method, e.url,
                       e.status == 0 ? std::string("-") : std::to_string(e.status), e.request_bytes, e.response_bytes,
                       e.duration_us, verdict(e.decision));
  }
  std::string operator()(const Dns& e) const {
    return fmt::format("dns {} {} -> {} {}", e.type, e.name,
                       e.answers.empty() ? "-" : fmt::format("{}", fmt::join(e.answers, ",")), verdict(e.decision));
  }
  std::string operator()(const McpCall& e) const {
    return fmt::format("mcp {} {} {} {}", e.server, e.method, e.tool, verdict(e.decision));
  }
  std::string operator()(const SecretUse& e) const {
    return fmt::format("secret #{} {} -> {} {} {}", e.connection, e.secret, e.host, e.header, verdict(e.decision));
  }
  std::string operator()(const Policy& e) const {
    const char* change = e.change == Policy::Change::load     ? "load"
                         : e.change == Policy::Change::reload ? "reload"
                                                              : "reject";
    return fmt::format("policy.{} {} policies from {}", change, e.policies, fmt::join(e.files, ", "));
  }
  std::string operator()(const SandboxStart& e) const {
    return fmt::format("sandbox started: {} (profile {}, agent {})", fmt::join(e.command, " "), e.profile, e.agent);
  }
  std::string operator()(const SandboxExit& e) const {
    return fmt::format("sandbox exited with status {} after {} ms{}", e.exit_status, e.duration_us / 1000,
                       e.file_events_lost ? " (some file events were lost)" : "");
  }
};

}  // namespace

std::string summary_line(const Event& event) {
  return fmt::format("{}", std::visit(Render{}, event.body));
}

bool is_network(const Event& event) noexcept {
  return std::holds_alternative<NetConnect>(event.body) || std::holds_alternative<NetClose>(event.body) ||
         std::holds_alternative<HttpRequest>(event.body) || std::holds_alternative<Dns>(event.body);
}

}  // namespace paddock::audit
