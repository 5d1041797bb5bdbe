#include "policy/denials.hpp"

#include <fmt/core.h>

namespace paddock::policy {

audit::Decision to_decision(const Verdict& verdict, std::string reason) {
  audit::Decision out;
  out.allowed = verdict.allowed;
  for (const auto& p : verdict.policies) out.policies.push_back({p.id, p.location});
  for (const auto& e : verdict.errors) out.errors.push_back(e.policy.id + ": " + e.message);
  out.reason = std::move(reason);
  return out;
}

std::string cedar_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string denial_line(std::string_view what, const Verdict& verdict, std::string_view allow_command) {
  if (verdict.policies.empty())
    return fmt::format("paddock: denied {}: no policy permits it; to allow it: {}", what, allow_command);
  std::string by;
  for (const auto& p : verdict.policies) by += fmt::format("{}{} ({})", by.empty() ? "" : ", ", p.id, p.location);
  return fmt::format("paddock: denied {} by {}; a forbid wins over every permit: narrow or remove it to allow this",
                     what, by);
}

}  // namespace paddock::policy
