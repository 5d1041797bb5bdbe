#include "audit/signing_key.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/sha256.hpp"

namespace paddock::audit {
namespace {

using MdCtx = std::unique_ptr<EVP_MD_CTX, OpenSslFree<EVP_MD_CTX, EVP_MD_CTX_free>>;

std::string raw_public_hex(const EVP_PKEY& key) {
  unsigned char raw[32];
  std::size_t length = sizeof raw;
  if (EVP_PKEY_get_raw_public_key(&key, raw, &length) != 1 || length != sizeof raw)
    throw Error(openssl_error("audit signing key: not an Ed25519 key"));
  return to_hex(std::string_view(reinterpret_cast<const char*>(raw), length));
}

std::string pem_of_public_key(const EVP_PKEY& key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), &key) != 1) throw Error(openssl_error("cannot write a public key"));
  return bio_text(*bio);
}

PKey load_private_key(const std::string& path) {
  PKey key = private_key_from_pem(read_file(path), "ED25519");
  if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519)
    throw Error(path + ": not an Ed25519 private key in PEM; move it away and paddock makes a new one");
  return key;
}

}  // namespace

SigningKey::SigningKey(PKey key) : key_(std::move(key)), public_hex_(raw_public_hex(*key_)) {}

SigningKey SigningKey::generate() {
  PKey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) throw Error(openssl_error("cannot generate the audit signing key"));
  return SigningKey(std::move(key));
}

SigningKey SigningKey::load_or_create(const std::string& directory) {
  const std::string private_path = directory + "/" + std::string(kPrivateKeyFile);
  const std::string public_path = directory + "/" + std::string(kPublicKeyFile);
  struct stat st {};
  if (::stat(private_path.c_str(), &st) == 0) {
    SigningKey key(load_private_key(private_path));
    // A first run that crashed after linking the private key left no public one: write it now.
    if (::access(public_path.c_str(), F_OK) != 0) {
      if (errno != ENOENT) throw SysError("access " + public_path);
      write_file_atomically(public_path, key.public_key_pem(), 0644);
    }
    return key;
  }
  if (errno != ENOENT) throw SysError("stat " + private_path);
  make_directories(directory, 0700);
  SigningKey key = generate();
  const std::string pem = to_pem(*key.key_);
  if (pem.empty()) throw Error(openssl_error("cannot write the audit signing key"));
  // Linked into place, not renamed: of first runs at once the first link wins and the others
  // load its key, so that no run signs with a key the installation does not keep.
  const std::string temporary = write_file_beside(private_path, pem, 0600);
  const int linked = ::link(temporary.c_str(), private_path.c_str());
  const int link_error = errno;
  if (::unlink(temporary.c_str()) != 0) throw SysError("remove " + temporary);
  if (linked != 0) {
    if (link_error != EEXIST) throw SysError("link " + temporary + " to " + private_path, link_error);
    return SigningKey(load_private_key(private_path));
  }
  write_file_atomically(public_path, key.public_key_pem(), 0644);
  return key;
}

std::string SigningKey::sign(std::string_view message) const {
  MdCtx ctx(EVP_MD_CTX_new());
  unsigned char signature[64];
  std::size_t length = sizeof signature;
  if (!ctx || EVP_DigestSignInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, key_.get(), nullptr) != 1 ||
      EVP_DigestSign(ctx.get(), signature, &length, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1)
    throw Error(openssl_error("cannot sign an audit checkpoint"));
  return to_hex(std::string_view(reinterpret_cast<const char*>(signature), length));
}

std::string SigningKey::public_key_pem() const {
  return pem_of_public_key(*key_);
}

SignatureVerifier::SignatureVerifier(PKey key) : key_(std::move(key)), public_hex_(raw_public_hex(*key_)) {}

SignatureVerifier SignatureVerifier::from_hex(std::string_view public_key_hex) {
  const auto raw = bytes_from_hex(public_key_hex);
  if (!raw || raw->size() != 32)
    throw Error("not an Ed25519 public key (64 hex digits): " + std::string(public_key_hex));
  PKey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw->data()),
                                       raw->size()));
  if (!key) throw Error(openssl_error("not an Ed25519 public key"));
  return SignatureVerifier(std::move(key));
}

SignatureVerifier SignatureVerifier::from_pem(std::string_view pem) {
  const BioPtr bio = memory_reader(pem);
  PKey key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519)
    throw Error("not an Ed25519 public key in PEM (what `paddock audit key` prints)");
  return SignatureVerifier(std::move(key));
}

std::string SignatureVerifier::public_key_pem() const {
  return pem_of_public_key(*key_);
}

bool SignatureVerifier::verify(std::string_view message, std::string_view signature_hex) const {
  const auto signature = bytes_from_hex(signature_hex);
  if (!signature || signature->size() != 64) return false;
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, key_.get(), nullptr) != 1)
    return false;
  const bool ok =
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  ERR_clear_error();
  return ok;
}

}  // namespace paddock::audit
