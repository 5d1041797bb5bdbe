#include "net/trust.hpp"

#include <unistd.h>

namespace paddock::net {
namespace {

// Where distributions keep the bundle OpenSSL, GnuTLS and most clients read.
constexpr const char* kSystemBundles[] = {
    "/etc/ssl/certs/ca-certificates.crt",  // Debian, Ubuntu, Arch, Gentoo
    "/etc/pki/tls/certs/ca-bundle.crt",    // Fedora, RHEL
    "/etc/ssl/cert.pem",                   // Alpine, macOS-like layouts
};

}  // namespace

SandboxTrust sandbox_trust(const std::string& ca_pem, const std::string& root) {
  SandboxTrust trust;
  std::string first_bundle;
  const std::string prefix = root == "/" ? "" : root;
  // The sandbox's own build copies each bundle (PlacedFile::base); here only their names pass.
  for (const char* bundle : kSystemBundles) {
    const std::string path = prefix + bundle;
    if (::access(path.c_str(), R_OK) != 0) continue;
    if (first_bundle.empty()) first_bundle = path;
    trust.files.push_back({bundle, ca_pem, path, /*where_possible=*/true});
  }
  trust.files.push_back({kSandboxCaPath, ca_pem, {}, false});
  trust.files.push_back({kSandboxBundlePath, ca_pem, first_bundle, false});
  for (const char* variable :
       {"SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "GIT_SSL_CAINFO", "CODEX_CA_CERTIFICATE", "PIP_CERT"})
    trust.environment.push_back(std::string(variable) + "=" + kSandboxBundlePath);
  // Node adds this file to its built-in roots (it does not read the system store).
  trust.environment.push_back(std::string("NODE_EXTRA_CA_CERTS=") + kSandboxCaPath);
  return trust;
}

}  // namespace paddock::net
