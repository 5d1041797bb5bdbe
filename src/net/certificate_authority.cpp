#include "net/certificate_authority.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "common/error.hpp"
#include "common/files.hpp"
#include "net/address.hpp"

namespace paddock::net {
namespace {

constexpr long kDay = 24L * 60 * 60;

PKey new_p256_key() {
  PKey key(EVP_EC_gen("P-256"));
  if (!key) throw Error(openssl_error("generating an ECDSA P-256 key"));
  return key;
}

void check(int ok, std::string_view what) {
  if (ok != 1) throw Error(openssl_error(what));
}

void set_random_serial(X509& certificate) {
  std::unique_ptr<BIGNUM, OpenSslFree<BIGNUM, BN_free>> serial(BN_new());
  check(serial && BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) ? 1 : 0, "a certificate serial");
  check(BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(&certificate)) != nullptr ? 1 : 0,
        "a certificate serial");
}

void add_extension(X509& certificate, X509& issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, &issuer, &certificate, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, OpenSslFree<X509_EXTENSION, X509_EXTENSION_free>> extension(
      X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  check(extension && X509_add_ext(&certificate, extension.get(), -1) ? 1 : 0,
        "certificate extension " + std::string(OBJ_nid2sn(nid)) + "=" + value);
}

X509Ptr new_certificate(const std::string& common_name, EVP_PKEY& subject_key, long valid_seconds) {
  X509Ptr certificate(X509_new());
  if (!certificate) throw Error(openssl_error("a new certificate"));
  check(X509_set_version(certificate.get(), X509_VERSION_3), "certificate version");
  set_random_serial(*certificate);
  check(X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -60 * 60) ? 1 : 0, "certificate validity");
  check(X509_gmtime_adj(X509_getm_notAfter(certificate.get()), valid_seconds) ? 1 : 0, "certificate validity");
  check(X509_set_pubkey(certificate.get(), &subject_key), "certificate key");
  // X.509 caps a common name at 64 bytes; clients match the subjectAltName anyway.
  const std::string cn = common_name.substr(0, 64);
  X509_NAME* name = X509_get_subject_name(certificate.get());
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1,
                                   -1, 0),
        "certificate name " + cn);
  return certificate;
}

std::string installation_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "localhost");
  const char* user = std::getenv("USER");
  return std::string(user != nullptr ? user : "uid " + std::to_string(::getuid())) + "@" + host;
}

// Writes a new CA into `directory` (which must not exist yet).
void create_authority(const std::string& directory) {
  make_directories(directory, 0700);
  auto key = new_p256_key();
  auto certificate = new_certificate("paddock interception CA (" + installation_name() + ")", *key,
                                     CertificateAuthority::kCaDays * kDay);
  X509_NAME* name = X509_get_subject_name(certificate.get());
  check(X509_set_issuer_name(certificate.get(), name), "CA issuer");
  add_extension(*certificate, *certificate, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
  add_extension(*certificate, *certificate, NID_key_usage, "critical,keyCertSign,cRLSign");
  add_extension(*certificate, *certificate, NID_subject_key_identifier, "hash");
  check(X509_sign(certificate.get(), key.get(), EVP_sha256()) > 0 ? 1 : 0, "signing the CA certificate");
  write_file_atomically(directory + "/ca.key", to_pem(*key), 0600);
  write_file_atomically(directory + "/leaf.key", to_pem(*new_p256_key()), 0600);
  write_file_atomically(directory + "/ca.crt", to_pem(*certificate), 0644);
}

}  // namespace

std::string CertificateAuthority::ensure(const std::string& directory) {
  struct stat st {};
  if (::stat(directory.c_str(), &st) != 0) {
    if (errno != ENOENT) throw SysError("stat " + directory);
    const std::string parent = std::filesystem::path(directory).parent_path();
    make_directories(parent, 0700);
    const std::string staging = directory + ".new." + std::to_string(::getpid());
    std::filesystem::remove_all(staging);
    create_authority(staging);
    // Another run may have made one meanwhile: theirs wins, everyone uses the same CA.
    if (::rename(staging.c_str(), directory.c_str()) != 0) {
      const int err = errno;
      std::filesystem::remove_all(staging);
      if (err != EEXIST && err != ENOTEMPTY) throw SysError("rename " + staging + " to " + directory, err);
    }
  }
  return read_file(directory + "/ca.crt");
}

CertificateAuthority CertificateAuthority::open(const std::string& directory) {
  ensure(directory);
  return load(directory);
}

CertificateAuthority CertificateAuthority::load(const std::string& directory) {
  CertificateAuthority ca;
  ca.directory_ = directory;
  if (::access(directory.c_str(), F_OK) != 0)
    throw SysError("the interception CA " + directory + " (restart the sandbox to make a new one)");
  ca.certificate_pem_ = read_file(directory + "/ca.crt");
  ca.certificate_ = certificate_from_pem(ca.certificate_pem_);
  ca.key_ = private_key_from_pem(read_file(directory + "/ca.key"), "EC");
  ca.leaf_key_ = private_key_from_pem(read_file(directory + "/leaf.key"), "EC");
  if (!ca.certificate_ || !ca.key_ || !ca.leaf_key_ ||
      X509_check_private_key(ca.certificate_.get(), ca.key_.get()) != 1)
    throw Error(openssl_error("the interception CA in " + directory +
                              " is damaged (remove the directory to make a new one, then restart running sandboxes)"));
  return ca;
}

X509Ptr CertificateAuthority::mint(std::string_view host) const {
  const std::string name(host);
  long valid = kLeafDays * kDay;
  // Never past the CA's end: a client would refuse the chain.
  int days = 0, seconds = 0;
  if (ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(certificate_.get())) == 1)
    valid = std::min(valid, static_cast<long>(days) * kDay + seconds);
  auto leaf = new_certificate(name, *leaf_key_, valid);
  check(X509_set_issuer_name(leaf.get(), X509_get_subject_name(certificate_.get())), "leaf issuer");
  add_extension(*leaf, *certificate_, NID_basic_constraints, "critical,CA:FALSE");
  add_extension(*leaf, *certificate_, NID_key_usage, "critical,digitalSignature");
  add_extension(*leaf, *certificate_, NID_ext_key_usage, "serverAuth");
  add_extension(*leaf, *certificate_, NID_subject_key_identifier, "hash");
  add_extension(*leaf, *certificate_, NID_authority_key_identifier, "keyid:always");
  add_extension(*leaf, *certificate_, NID_subject_alt_name, (parse_ip_literal(name) ? "IP:" : "DNS:") + name);
  check(X509_sign(leaf.get(), key_.get(), EVP_sha256()) > 0 ? 1 : 0, "signing a leaf certificate for " + name);
  return leaf;
}

}  // namespace paddock::net
