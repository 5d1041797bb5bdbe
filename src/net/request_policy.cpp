// What the proxy does with each request it reads in the clear, before it goes upstream: the
// HttpRequest decision (method, path, query, scheme, headers), the headers HttpRewrite
// policies set, and the granted secrets swapped in for their placeholders (UseSecret).
#include <fmt/core.h>

#include "net/session.hpp"
#include "policy/denials.hpp"
#include "policy/interception.hpp"

namespace paddock::net {
namespace {

std::uint64_t elapsed_us(std::chrono::steady_clock::time_point since) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - since).count());
}

std::string lower(boost::beast::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

}  // namespace

std::optional<Session::Refusal> Session::admit_request(http::request<http::empty_body>& request,
                                                       const Authority& authority, std::string_view scheme,
                                                       const RequestTarget& target, audit::HttpRequest& event) {
  const auto& grants = context_->interception.grants;
  event.method = std::string(request.method_string());
  event.host = authority.host;
  event.port = authority.port;
  event.url =
      grants.redact(fmt::format("{}://{}{}", scheme, authority_text(authority.host, authority.port), target.text()));

  policy::HttpQuery query{authority.host, authority.port,      event.method,           target.path,
                          target.query,   std::string(scheme), policy_headers(request)};
  auto verdict = context_->engine.http_request(query);
  event.decision = to_decision(verdict);
  if (!verdict.allowed) {
    Refusal refusal;
    refusal.message = policy::denial_line(
        fmt::format("{} {}", event.method, event.url), verdict,
        fmt::format("a policy permitting HttpRequest on Host::{}", policy::cedar_string(authority.host)));
    refusal.policies = policy_ids(verdict);
    report_denial(refusal.message);
    event.status = 403;
    context_->report.events.record({now_ns(), event});
    return refusal;
  }

  // HttpRewrite (Leash's header injection): each candidate the policies name, if Cedar allows it.
  for (auto& rewrite : policy::rewrite_candidates(context_->engine.policies(), authority.host, authority.port)) {
    if (!context_->engine.http_rewrite(authority.host, authority.port, rewrite.header, rewrite.value).allowed) continue;
    request.set(rewrite.header, rewrite.value);
    event.rewrites.push_back(rewrite.header);
  }

  // Granted secrets: a placeholder in its bound header, on a request to a bound host.
  std::vector<std::pair<std::string, creds::Swap>> swaps;
  for (const auto& field : request) {
    const std::string name = lower(field.name_string());
    if (auto swap = grants.swap(authority.host, authority.port, name,
                                std::string_view(field.value().data(), field.value().size())))
      swaps.emplace_back(name, std::move(*swap));
  }
  for (auto& [name, swap] : swaps) {
    const auto& secret = swap.grant->secret;
    audit::SecretUse use;
    use.connection = event.connection;
    use.secret = secret.name;
    use.host = authority.host;
    use.header = name;
    auto allowed = context_->engine.use_secret(secret.name, authority.host, authority.port, name);
    use.decision = to_decision(allowed);
    context_->report.events.record({now_ns(), use});
    if (!allowed.allowed) {
      report_denial(
          policy::denial_line(fmt::format("secret {} in {} to {}", secret.name, name, authority.host), allowed,
                              "a policy permitting UseSecret on Secret::" + policy::cedar_string(secret.name)));
      continue;  // the placeholder goes on unchanged
    }
    request.set(name, swap.value);
    event.secrets.push_back(secret.name);
  }
  return std::nullopt;
}

void Session::record_request(audit::HttpRequest event, const ExchangeOutcome& outcome,
                             std::chrono::steady_clock::time_point started) {
  event.request_bytes = outcome.request_bytes;
  event.response_bytes = outcome.response_bytes;
  event.status = outcome.status;
  event.duration_us = elapsed_us(started);
  context_->report.events.record({now_ns(), std::move(event)});
}

}  // namespace paddock::net
