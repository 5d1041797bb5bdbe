#include "net/http_relay.hpp"

#include <boost/beast/http/rfc7230.hpp>

namespace paddock::net {

void strip_hop_by_hop(http::fields& fields) {
  std::vector<std::string> named;
  for (const auto& token : http::token_list(fields[http::field::connection])) named.emplace_back(token);
  for (const auto& token : http::token_list(fields["Proxy-Connection"])) named.emplace_back(token);
  for (const auto& name : named)
    if (!boost::beast::iequals(name, "close") && !boost::beast::iequals(name, "keep-alive")) fields.erase(name);
  for (const auto field : {http::field::connection, http::field::proxy_connection, http::field::keep_alive,
                           http::field::proxy_authenticate, http::field::proxy_authorization, http::field::te,
                           http::field::trailer, http::field::upgrade})
    fields.erase(field);
}

std::vector<std::pair<std::string, std::string>> policy_headers(const http::fields& fields) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& field : fields) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    out.emplace_back(std::move(name), std::string(field.value()));
  }
  return out;
}

std::optional<RequestTarget> split_origin_form(std::string_view target) {
  if (target.empty() || target.front() != '/') return std::nullopt;
  target = target.substr(0, target.find('#'));
  const auto question = target.find('?');
  RequestTarget out{std::string(target.substr(0, question)), ""};
  if (question != std::string_view::npos) out.query = std::string(target.substr(question + 1));
  return out;
}

http::response<http::string_body> refusal_response(unsigned status, const std::string& body,
                                                   const std::string& policies) {
  http::response<http::string_body> response{static_cast<http::status>(status), 11};
  response.set(http::field::server, "paddock");
  response.set(http::field::content_type, "text/plain; charset=utf-8");
  if (!policies.empty()) response.set("X-Paddock-Policy", policies);
  response.keep_alive(false);
  response.body() = body + "\n";
  response.prepare_payload();
  return response;
}

}  // namespace paddock::net
