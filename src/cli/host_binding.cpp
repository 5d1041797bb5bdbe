#include "cli/host_binding.hpp"

#include <fmt/core.h>

#include "cli/command.hpp"
#include "common/error.hpp"
#include "net/address.hpp"

namespace paddock::cli {

std::string canonical_binding(const std::string& text, const std::string& flag) {
  auto bad = [&] {
    return Error(
        fmt::format("{} {}: expected a host name, *.domain, or an IP address, with an optional :port", flag, text),
        kExitUsage);
  };
  std::string host = text;
  std::string port;
  const bool wildcard = host.rfind("*.", 0) == 0;
  if (wildcard) host = host.substr(2);
  // "[v6]:port", "name:port"; several colons without brackets: an IPv6 address alone.
  const auto colon = host.rfind(':');
  const bool bracketed = !host.empty() && host.front() == '[';
  if (colon != std::string::npos && (bracketed ? host[colon - 1] == ']' : host.find(':') == colon)) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(port) == 0 || std::stoul(port) > 65535)
      throw bad();
  }
  if (bracketed && host.size() > 2 && host.back() == ']') host = host.substr(1, host.size() - 2);
  auto canonical = net::canonical_host(host);
  if (!canonical || (wildcard && net::parse_ip_literal(*canonical))) throw bad();
  const bool v6 = canonical->find(':') != std::string::npos;
  return (wildcard ? "*." : "") + (v6 && !port.empty() ? "[" + *canonical + "]" : *canonical) +
         (port.empty() ? "" : ":" + port);
}

}  // namespace paddock::cli
