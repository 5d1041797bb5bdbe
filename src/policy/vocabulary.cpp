#include "policy/vocabulary.hpp"

namespace paddock::policy {
namespace {

bool is_ip_literal(std::string_view host) {
  if (host.find(':') != std::string_view::npos) return true;  // IPv6
  if (host.empty()) return false;
  for (char c : host)
    if ((c < '0' || c > '9') && c != '.') return false;
  return true;
}

}  // namespace

std::string dir_id(std::string_view path) {
  std::string id(path);
  if (id.empty() || id.back() != '/') id += '/';
  return id;
}

std::vector<std::string> path_ancestor_ids(std::string_view path) {
  std::vector<std::string> out;
  std::string p(path);
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  for (auto slash = p.rfind('/'); slash != std::string::npos && p != "/"; slash = p.rfind('/')) {
    p.resize(slash == 0 ? 1 : slash);
    if (p == "/") break;
    out.push_back(p + "/");
    out.push_back(p);
  }
  out.emplace_back("/");
  return out;
}

std::string host_id(std::string_view host, std::uint16_t port) {
  std::string id = host.find(':') != std::string_view::npos ? "[" + std::string(host) + "]" : std::string(host);
  return id + ":" + std::to_string(port);
}

std::vector<std::string> host_ancestor_ids(std::string_view host) {
  std::vector<std::string> out;
  if (is_ip_literal(host)) {
    out.push_back(host.find(':') != std::string_view::npos ? "[" + std::string(host) + "]" : std::string(host));
  } else {
    out.emplace_back(host);
    for (auto dot = host.find('.'); dot != std::string_view::npos; dot = host.find('.', dot + 1))
      out.push_back("*" + std::string(host.substr(dot)));
  }
  out.emplace_back("*");
  return out;
}

}  // namespace paddock::policy
