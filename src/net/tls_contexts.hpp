// The TLS contexts of interception: towards the sandbox, one server context per host with a
// leaf the CA minted (cached in memory and in <ca>/leaves, reused until a day before it ends);
// towards the upstream, one client context that verifies certificates against the system's
// trust store (OpenSSL's default paths, so SSL_CERT_FILE and SSL_CERT_DIR are honoured), made at
// the first intercepted connection: loading the store parses every system root (0.85 MiB of heap
// and milliseconds), which a run that intercepts nothing should not pay.
// ALPN offers and accepts only http/1.1: the proxy reads the requests itself.
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/certificate_authority.hpp"

namespace paddock::net {

class TlsContexts {
 public:
  // The sandbox trusts `trusted_pem`, the CA certificate of its start (CertificateAuthority::
  // ensure). The CA in `ca_directory` is loaded at the first call of authority(), the first
  // interception's or the caller's; until then nothing is parsed. A CA that is damaged, gone,
  // or no longer the trusted one is an Error there: interception never mints from a CA the
  // sandbox does not trust, nor makes a new one.
  TlsContexts(std::string ca_directory, std::string trusted_pem);

  const CertificateAuthority& authority();
  // The server context presenting a leaf for `host` (canonical name or IP literal).
  std::shared_ptr<boost::asio::ssl::context> server(std::string_view host);
  // The client context towards upstreams; throws Error when the trust store cannot be loaded.
  boost::asio::ssl::context& upstream();

  // Before the upstream handshake: SNI for a name, and the name or address the peer's
  // certificate must match. False (with OpenSSL's reason in `error`) when it cannot be set.
  static bool expect_peer(SSL* ssl, const std::string& host, std::string& error);

 private:
  X509Ptr cached_leaf(const std::string& host);

  std::string ca_directory_;
  std::string trusted_pem_;
  std::optional<CertificateAuthority> ca_;
  std::unique_ptr<boost::asio::ssl::context> upstream_;
  std::map<std::string, std::shared_ptr<boost::asio::ssl::context>, std::less<>> servers_;
};

}  // namespace paddock::net
