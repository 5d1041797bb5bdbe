#include "net/environment.hpp"

#include <fmt/core.h>

namespace paddock::net {

std::vector<std::string> proxy_environment(std::uint16_t proxy_port) {
  const std::string http = fmt::format("http://127.0.0.1:{}", proxy_port);
  // socks5h: the proxy resolves names (the sandbox has no resolver of its own to leak through).
  const std::string socks = fmt::format("socks5h://127.0.0.1:{}", proxy_port);
  const std::string no_proxy = "localhost,127.0.0.1,::1";
  std::vector<std::string> out;
  for (const auto& [name, value] : {std::pair{"HTTP_PROXY", http}, std::pair{"HTTPS_PROXY", http},
                                    std::pair{"ALL_PROXY", socks}, std::pair{"NO_PROXY", no_proxy}}) {
    out.push_back(fmt::format("{}={}", name, value));
    std::string lower = name;
    for (auto& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    out.push_back(fmt::format("{}={}", lower, value));
  }
  // Node 24+ reads the variables above only when asked to.
  out.push_back("NODE_USE_ENV_PROXY=1");
  return out;
}

std::vector<std::pair<std::string, std::string>> resolver_files(std::uint16_t dns_port) {
  // resolv.conf has no port field: a stub on another port serves only clients told so.
  std::string conf =
      "# paddock: the sandbox's DNS stub (the supervisor answers for allowed names only)\n"
      "nameserver 127.0.0.1\noptions edns0 trust-ad\n";
  if (dns_port != 53) conf += fmt::format("# the stub listens on port {}\n", dns_port);
  return {{"/etc/resolv.conf", conf}};
}

}  // namespace paddock::net
