#include "common/openssl_handles.hpp"

#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/pem.h>

namespace paddock {

std::string bio_text(BIO& bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(&bio, &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

BioPtr memory_reader(std::string_view text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

std::string openssl_error(std::string_view what) {
  std::string out(what);
  const char* sep = ": ";
  while (const unsigned long code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    out += sep;
    out += text;
    sep = "; ";
  }
  return out;
}

std::string to_pem(const X509& certificate) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), const_cast<X509*>(&certificate)) != 1) return {};
  return bio_text(*bio);
}

std::string to_pem(const EVP_PKEY& private_key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), &private_key, nullptr, nullptr, 0, nullptr, nullptr) != 1) return {};
  return bio_text(*bio);
}

X509Ptr certificate_from_pem(std::string_view pem) {
  auto bio = memory_reader(pem);
  return X509Ptr(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

PKey private_key_from_pem(std::string_view pem, const char* key_type) {
  EVP_PKEY* key = nullptr;
  std::unique_ptr<OSSL_DECODER_CTX, OpenSslFree<OSSL_DECODER_CTX, OSSL_DECODER_CTX_free>> decoder(
      OSSL_DECODER_CTX_new_for_pkey(&key, "PEM", "PrivateKeyInfo", key_type, OSSL_KEYMGMT_SELECT_KEYPAIR, nullptr,
                                    nullptr));
  const auto* data = reinterpret_cast<const unsigned char*>(pem.data());
  std::size_t size = pem.size();
  if (!decoder || OSSL_DECODER_from_data(decoder.get(), &data, &size) != 1 || key == nullptr) {
    EVP_PKEY_free(key);
    return PKey();
  }
  return PKey(key);
}

}  // namespace paddock
