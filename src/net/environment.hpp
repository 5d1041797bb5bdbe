// What a sandbox with the egress proxy gets to find it: the proxy variables in upper and lower
// case (every client reads one or the other), NO_PROXY for the sandbox's own loopback, and an
// /etc/resolv.conf naming the DNS stub.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace paddock::net {

// "K=V" entries for the sandbox's environment.
std::vector<std::string> proxy_environment(std::uint16_t proxy_port);

// (path inside the sandbox, content) of the files to place.
std::vector<std::pair<std::string, std::string>> resolver_files(std::uint16_t dns_port);

}  // namespace paddock::net
