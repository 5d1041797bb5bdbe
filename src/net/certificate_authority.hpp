// The per-installation certificate authority of TLS interception (DESIGN.md, "Network"): an
// ECDSA P-256 key and a self-signed CA certificate in <data>/ca (0700; the keys 0600, never
// mounted into a sandbox), made on first use, and the leaf certificates it signs per host.
#pragma once

#include <string>
#include <string_view>

#include "common/openssl_handles.hpp"

namespace paddock::net {

class CertificateAuthority {
 public:
  // The CA in `directory`, created when absent. Creation is atomic (a whole directory renamed
  // into place), so concurrent first runs agree on one CA. Throws Error on a damaged CA.
  static CertificateAuthority open(const std::string& directory);
  // The CA that is in `directory` already; never creates one (a running sandbox trusts the CA
  // of its start, and a new one would be a CA it does not trust). Throws Error when it is
  // absent or damaged.
  static CertificateAuthority load(const std::string& directory);
  // The CA certificate's PEM text, the CA created when absent, nothing parsed: what a sandbox
  // needs to trust the CA, without loading it (TlsContexts loads it when it first intercepts).
  static std::string ensure(const std::string& directory);

  const std::string& directory() const noexcept { return directory_; }
  const std::string& certificate_pem() const noexcept { return certificate_pem_; }
  std::string certificate_path() const { return directory_ + "/ca.crt"; }
  const X509& certificate() const noexcept { return *certificate_; }

  // A leaf certificate for `host` (a DNS name or an IP literal) for the leaf key, valid from an
  // hour ago (clock skew) for kLeafDays and never beyond the CA's own end.
  X509Ptr mint(std::string_view host) const;
  // The one key of every leaf: minting is then one signature, not a key generation.
  EVP_PKEY& leaf_key() const noexcept { return *leaf_key_; }

  static constexpr int kLeafDays = 30;
  static constexpr int kCaDays = 3650;

 private:
  CertificateAuthority() = default;
  std::string directory_;
  std::string certificate_pem_;
  X509Ptr certificate_;
  PKey key_;
  PKey leaf_key_;
};

}  // namespace paddock::net
