// Making the sandbox trust paddock's CA, so that intercepted TLS verifies inside: the system
// bundles with the CA appended (placed read-only over the rootfs's own), the CA and a full
// bundle under /run/paddock, and the variables clients read instead of the system store.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace paddock::net {

inline constexpr const char* kSandboxCaPath = "/run/paddock/ca.crt";
inline constexpr const char* kSandboxBundlePath = "/run/paddock/ca-bundle.crt";

struct SandboxTrust {
  struct File {
    std::string target;  // inside the sandbox
    std::string content;
    std::string base;             // a host file whose content comes first (the system bundle)
    bool where_possible = false;  // skipped where the rootfs has no such file
  };
  std::vector<File> files;
  std::vector<std::string> environment;  // "K=V"
};

// `root`: the directory the sandbox's / shows ("/" for the host's system, or --rootfs).
SandboxTrust sandbox_trust(const std::string& ca_pem, const std::string& root);

}  // namespace paddock::net
