// The TLS contexts of interception: towards the sandbox, one server context per host with a
// leaf the CA minted (cached in memory and in <ca>/leaves, reused until a day before it ends);
// towards the upstream, one client context that verifies certificates against the system's
// trust store (OpenSSL's default paths, so SSL_CERT_FILE and SSL_CERT_DIR are honoured).
// ALPN offers and accepts only http/1.1: the proxy reads the requests itself.
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "net/certificate_authority.hpp"

namespace paddock::net {

class TlsContexts {
 public:
  explicit TlsContexts(CertificateAuthority ca);

  const CertificateAuthority& authority() const noexcept { return ca_; }
  // The server context presenting a leaf for `host` (canonical name or IP literal).
  std::shared_ptr<boost::asio::ssl::context> server(std::string_view host);
  boost::asio::ssl::context& upstream() noexcept { return *upstream_; }

  // Before the upstream handshake: SNI for a name, and the name or address the peer's
  // certificate must match. False (with OpenSSL's reason in `error`) when it cannot be set.
  static bool expect_peer(SSL* ssl, const std::string& host, std::string& error);

 private:
  X509Ptr cached_leaf(const std::string& host) const;

  CertificateAuthority ca_;
  std::shared_ptr<boost::asio::ssl::context> upstream_;
  std::map<std::string, std::shared_ptr<boost::asio::ssl::context>, std::less<>> servers_;
};

}  // namespace paddock::net
