// The interception CA: made once with private files, leaves that verify for their host only,
// the on-disk leaf cache, and the trust files the sandbox gets.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "common/error.hpp"
#include "common/files.hpp"
#include "net/certificate_authority.hpp"
#include "net/tls_contexts.hpp"
#include "net/trust.hpp"

namespace paddock::net {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

class Tls : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("paddock-ca-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

unsigned mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

// X509_verify_cert of `leaf` against `ca` alone, with the host check OpenSSL's clients do.
int verify(const X509& ca, X509& leaf, const std::string& host) {
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, const_cast<X509*>(&ca));
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, &leaf, nullptr);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
  if (host.find_first_not_of("0123456789.:") == std::string::npos)
    X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
  else
    X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
  const int ok = X509_verify_cert(ctx);
  const int error = ok == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx);
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  return error;
}

TEST_F(Tls, TheCaIsMadeOnceWithItsKeysPrivate) {
  auto ca = CertificateAuthority::open(dir_ + "/ca");
  EXPECT_EQ(mode_of(dir_ + "/ca"), 0700u);
  EXPECT_EQ(mode_of(dir_ + "/ca/ca.key"), 0600u);
  EXPECT_EQ(mode_of(dir_ + "/ca/leaf.key"), 0600u);
  EXPECT_THAT(ca.certificate_pem(), HasSubstr("BEGIN CERTIFICATE"));
  auto again = CertificateAuthority::open(dir_ + "/ca");
  EXPECT_EQ(again.certificate_pem(), ca.certificate_pem()) << "the same CA on every run";
  EXPECT_EQ(X509_check_ca(const_cast<X509*>(&ca.certificate())), 1);
  EXPECT_EQ(EVP_PKEY_get_base_id(X509_get0_pubkey(&ca.certificate())), EVP_PKEY_EC) << "ECDSA";
}

TEST_F(Tls, ADamagedCaIsAnErrorNotANewCa) {
  CertificateAuthority::open(dir_ + "/ca");
  std::ofstream(dir_ + "/ca/ca.key") << "garbage";
  EXPECT_ANY_THROW(CertificateAuthority::open(dir_ + "/ca"));
}

// The sandbox trusts the CA of its start; contexts made with it mint from that CA only.
std::unique_ptr<TlsContexts> contexts_for(const std::string& ca_directory) {
  return std::make_unique<TlsContexts>(ca_directory, CertificateAuthority::ensure(ca_directory));
}

// The host's leaf that a context for `host` presents, as a client would receive it.
X509& presented_leaf(TlsContexts& contexts, const std::string& host) {
  X509* leaf = SSL_CTX_get0_certificate(contexts.server(host)->native_handle());
  EXPECT_NE(leaf, nullptr);
  return *leaf;
}

TEST_F(Tls, ALazilyLoadedCaIsMadeAtOnceButParsedAtTheFirstInterception) {
  const std::string pem = CertificateAuthority::ensure(dir_ + "/ca");
  EXPECT_THAT(pem, HasSubstr("BEGIN CERTIFICATE"));
  EXPECT_EQ(mode_of(dir_ + "/ca/ca.key"), 0600u);
  EXPECT_EQ(CertificateAuthority::ensure(dir_ + "/ca"), pem) << "made once";
  EXPECT_FALSE(fs::exists(dir_ + "/ca/leaves")) << "nothing minted before an interception";
  TlsContexts contexts(dir_ + "/ca", pem);
  auto trusted = certificate_from_pem(pem);
  EXPECT_EQ(verify(*trusted, presented_leaf(contexts, "api.example.com"), "api.example.com"), X509_V_OK)
      << "the leaf chains to the CA the sandbox trusts";
}

TEST_F(Tls, ACaDamagedAfterTheStartFailsTheInterceptionAndIsNotReplaced) {
  const std::string pem = CertificateAuthority::ensure(dir_ + "/ca");
  std::ofstream(dir_ + "/ca/ca.key") << "garbage";
  TlsContexts damaged(dir_ + "/ca", pem);
  EXPECT_THAT([&] { damaged.server("other.example.com"); }, ThrowsMessage<Error>(HasSubstr("is damaged")))
      << "a damaged CA intercepted";
  EXPECT_FALSE(fs::exists(dir_ + "/ca/leaves/other.example.com.crt"));
  EXPECT_EQ(CertificateAuthority::ensure(dir_ + "/ca"), pem);
}

TEST_F(Tls, ACaRemovedOrReplacedAfterTheStartIsNeverUsedNorRemade) {
  // Removed: a new CA would mint leaves the running sandbox does not trust.
  const std::string pem = CertificateAuthority::ensure(dir_ + "/ca");
  TlsContexts removed(dir_ + "/ca", pem);
  fs::remove_all(dir_ + "/ca");
  EXPECT_THAT([&] { removed.server("api.example.com"); }, ThrowsMessage<Error>(HasSubstr("restart the sandbox")))
      << "intercepted with a CA made after the start";
  EXPECT_FALSE(fs::exists(dir_ + "/ca")) << "no new CA made mid-run";
  // Replaced by another CA (another run made one after the removal): refused too.
  const std::string other_pem = CertificateAuthority::ensure(dir_ + "/ca");
  ASSERT_NE(other_pem, pem);
  TlsContexts replaced(dir_ + "/ca", pem);
  EXPECT_THAT([&] { replaced.server("api.example.com"); },
              ThrowsMessage<Error>(HasSubstr("changed after this sandbox started")))
      << "intercepted with a CA the sandbox does not trust";
  EXPECT_FALSE(fs::exists(dir_ + "/ca/leaves/api.example.com.crt"));
}

TEST_F(Tls, ALeafVerifiesForItsHostOnly) {
  auto ca = CertificateAuthority::open(dir_ + "/ca");
  auto leaf = ca.mint("api.example.com");
  EXPECT_EQ(verify(ca.certificate(), *leaf, "api.example.com"), X509_V_OK);
  EXPECT_EQ(verify(ca.certificate(), *leaf, "evil.example.com"), X509_V_ERR_HOSTNAME_MISMATCH);
  auto ip = ca.mint("127.0.0.1");
  EXPECT_EQ(verify(ca.certificate(), *ip, "127.0.0.1"), X509_V_OK);
  EXPECT_EQ(verify(ca.certificate(), *ip, "127.0.0.2"), X509_V_ERR_IP_ADDRESS_MISMATCH);
  auto v6 = ca.mint("::1");
  EXPECT_EQ(verify(ca.certificate(), *v6, "::1"), X509_V_OK);
  // A CA of another installation does not vouch for it.
  auto other = CertificateAuthority::open(dir_ + "/other");
  EXPECT_EQ(verify(other.certificate(), *leaf, "api.example.com"), X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
  // Leaves are no CA: a sandbox holding one cannot sign for other hosts.
  EXPECT_EQ(X509_check_ca(leaf.get()), 0);
}

TEST_F(Tls, LeavesAreCachedOnDiskAndReused) {
  {
    auto contexts = contexts_for(dir_ + "/ca");
    auto first = contexts->server("api.example.com");
    EXPECT_EQ(contexts->server("api.example.com"), first) << "cached in memory";
  }
  const std::string cached = dir_ + "/ca/leaves/api.example.com.crt";
  ASSERT_TRUE(fs::exists(cached));
  const std::string pem = read_file(cached);
  {
    auto contexts = contexts_for(dir_ + "/ca");
    contexts->server("api.example.com");
    EXPECT_EQ(read_file(cached), pem) << "the next run reuses the leaf on disk";
  }
  // A leaf not signed by this CA (another installation's, or planted) is replaced.
  auto other = CertificateAuthority::open(dir_ + "/other");
  write_file_atomically(cached, to_pem(*other.mint("api.example.com")), 0644);
  auto contexts = contexts_for(dir_ + "/ca");
  contexts->server("api.example.com");
  auto reread = certificate_from_pem(read_file(cached));
  EXPECT_EQ(verify(contexts->authority().certificate(), *reread, "api.example.com"), X509_V_OK);
}

TEST_F(Tls, TheSandboxTrustsTheCaThroughBundlesAndVariables) {
  fs::create_directories(dir_ + "/root/etc/ssl/certs");
  std::ofstream(dir_ + "/root/etc/ssl/certs/ca-certificates.crt") << "SYSTEM ROOTS";
  auto trust = sandbox_trust("PADDOCK CA\n", dir_ + "/root");
  ASSERT_EQ(trust.files.size(), 3u);
  // The system's roots stay trusted: the sandbox's build copies them before the CA
  // (tests/sandbox/egress_test.cpp checks the copy).
  EXPECT_EQ(trust.files[0].target, "/etc/ssl/certs/ca-certificates.crt");
  EXPECT_EQ(trust.files[0].base, dir_ + "/root/etc/ssl/certs/ca-certificates.crt");
  EXPECT_EQ(trust.files[0].content, "PADDOCK CA\n");
  EXPECT_EQ(trust.files[1].target, kSandboxCaPath);
  EXPECT_EQ(trust.files[1].base, "");
  EXPECT_EQ(trust.files[2].target, kSandboxBundlePath);
  EXPECT_EQ(trust.files[2].base, trust.files[0].base);
  EXPECT_EQ(trust.files[2].content, "PADDOCK CA\n");
  for (const char* variable : {"SSL_CERT_FILE=", "REQUESTS_CA_BUNDLE=", "CURL_CA_BUNDLE=", "GIT_SSL_CAINFO=",
                               "CODEX_CA_CERTIFICATE=", "NODE_EXTRA_CA_CERTS="})
    EXPECT_THAT(trust.environment, ::testing::Contains(::testing::StartsWith(variable)));
}

}  // namespace
}  // namespace paddock::net
