#include "net/tls_contexts.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cstring>
#include <ctime>

#include "common/error.hpp"
#include "common/files.hpp"
#include "net/address.hpp"

namespace paddock::net {
namespace {

namespace ssl = boost::asio::ssl;
constexpr unsigned char kAlpnHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

// Towards the sandbox: http/1.1 when the client offers it; otherwise no ALPN at all, which
// means HTTP/1.1 too (never h2, which the proxy does not read).
int select_http11(SSL*, const unsigned char** out, unsigned char* out_size, const unsigned char* offered,
                  unsigned int offered_size, void*) {
  unsigned char* chosen = nullptr;
  if (SSL_select_next_proto(&chosen, out_size, kAlpnHttp11, sizeof kAlpnHttp11, offered, offered_size) !=
      OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_NOACK;
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

constexpr auto kOptions = ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                          ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use;

std::string leaf_file_name(const std::string& host) {
  std::string name;
  for (char c : host) name += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') ? c : '_';
  return name + ".crt";
}

bool matches(X509& leaf, const std::string& host) {
  return parse_ip_literal(host) ? X509_check_ip_asc(&leaf, host.c_str(), 0) == 1
                                : X509_check_host(&leaf, host.data(), host.size(), 0, nullptr) == 1;
}

}  // namespace

TlsContexts::TlsContexts(std::string ca_directory, std::string trusted_pem)
    : ca_directory_(std::move(ca_directory)), trusted_pem_(std::move(trusted_pem)) {}

const CertificateAuthority& TlsContexts::authority() {
  if (ca_) return *ca_;
  auto ca = CertificateAuthority::load(ca_directory_);
  if (ca.certificate_pem() != trusted_pem_)
    throw Error("the interception CA in " + ca_directory_ +
                " changed after this sandbox started, which trusts the old one (restart the sandbox)");
  make_directories(ca.directory() + "/leaves", 0700);
  ca_ = std::move(ca);
  return *ca_;
}

boost::asio::ssl::context& TlsContexts::upstream() {
  if (upstream_) return *upstream_;
  auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
  context->set_options(kOptions);
  boost::system::error_code ec;
  context->set_default_verify_paths(ec);
  if (ec) throw Error("the system's trust store for upstream certificates: " + ec.message());
  context->set_verify_mode(ssl::verify_peer);
  // SSL_CTX_set_alpn_protos returns 0 on success.
  if (SSL_CTX_set_alpn_protos(context->native_handle(), kAlpnHttp11, sizeof kAlpnHttp11) != 0)
    throw Error(openssl_error("ALPN for upstream connections"));
  upstream_ = std::move(context);
  return *upstream_;
}

X509Ptr TlsContexts::cached_leaf(const std::string& host) {
  const CertificateAuthority& ca = authority();
  const std::string path = ca.directory() + "/leaves/" + leaf_file_name(host);
  if (::access(path.c_str(), R_OK) == 0) {
    auto leaf = certificate_from_pem(read_file(path));
    EVP_PKEY* ca_key = X509_get0_pubkey(&ca.certificate());
    const std::time_t tomorrow = std::time(nullptr) + 24 * 60 * 60;
    // Reused only when this CA signed it for this host and it does not end within a day.
    if (leaf && ca_key != nullptr && X509_verify(leaf.get(), ca_key) == 1 && matches(*leaf, host) &&
        X509_cmp_time(X509_get0_notAfter(leaf.get()), const_cast<std::time_t*>(&tomorrow)) > 0)
      return leaf;
  }
  auto leaf = ca.mint(host);
  write_file_atomically(path, to_pem(*leaf), 0600);
  return leaf;
}

std::shared_ptr<ssl::context> TlsContexts::server(std::string_view host) {
  if (auto found = servers_.find(host); found != servers_.end()) return found->second;
  const std::string name(host);
  auto leaf = cached_leaf(name);
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  context->set_options(kOptions);
  SSL_CTX* native = context->native_handle();
  const CertificateAuthority& ca = authority();
  if (SSL_CTX_use_certificate(native, leaf.get()) != 1 || SSL_CTX_use_PrivateKey(native, &ca.leaf_key()) != 1 ||
      SSL_CTX_add1_chain_cert(native, const_cast<X509*>(&ca.certificate())) != 1)
    throw Error(openssl_error("the interception certificate for " + name));
  SSL_CTX_set_alpn_select_cb(native, select_http11, nullptr);
  servers_.emplace(name, context);
  return context;
}

bool TlsContexts::expect_peer(SSL* ssl, const std::string& host, std::string& error) {
  bool ok = false;
  if (parse_ip_literal(host)) {
    ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1;
  } else {
    // SSL_set_tlsext_host_name, without the macro's C cast.
    ok = SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(host.c_str())) == 1 &&
         SSL_set1_host(ssl, host.c_str()) == 1;
  }
  if (!ok) error = openssl_error("expecting " + host + " in the upstream's certificate");
  return ok;
}

}  // namespace paddock::net
