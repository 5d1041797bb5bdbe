#include "common/sha256.hpp"

#include <openssl/evp.h>

#include <cstring>

#include "common/error.hpp"

namespace paddock {

Sha256::Sha256() : md_(EVP_MD_fetch(nullptr, "SHA256", nullptr)), ctx_(EVP_MD_CTX_new()) {
  if (md_ == nullptr || ctx_ == nullptr) {
    EVP_MD_free(md_);
    EVP_MD_CTX_free(ctx_);
    throw Error("SHA-256 is not available from OpenSSL");
  }
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(ctx_);
  EVP_MD_free(md_);
}

void Sha256::begin() {
  if (EVP_DigestInit_ex2(ctx_, md_, nullptr) != 1) throw Error("SHA-256: EVP_DigestInit_ex2 failed");
}

void Sha256::update(std::string_view data) {
  if (EVP_DigestUpdate(ctx_, data.data(), data.size()) != 1) throw Error("SHA-256: EVP_DigestUpdate failed");
}

Sha256Digest Sha256::finish() {
  Sha256Digest digest;
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx_, digest.data(), &length) != 1 || length != digest.size())
    throw Error("SHA-256: EVP_DigestFinal_ex failed");
  return digest;
}

void to_hex(std::string_view bytes, char* out) {
  // Two digits per lookup: the audit trail spells two hashes per record.
  static constexpr auto kPairs = [] {
    constexpr char kHex[] = "0123456789abcdef";
    std::array<char, 512> pairs{};
    for (std::size_t b = 0; b < 256; ++b) pairs[2 * b] = kHex[b >> 4], pairs[2 * b + 1] = kHex[b & 0xF];
    return pairs;
  }();
  for (const char c : bytes) {
    std::memcpy(out, &kPairs[2 * static_cast<unsigned char>(c)], 2);
    out += 2;
  }
}

std::string to_hex(std::string_view bytes) {
  std::string hex(bytes.size() * 2, '\0');
  to_hex(bytes, hex.data());
  return hex;
}

std::optional<std::string> bytes_from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = nibble(hex[i]), low = nibble(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes += static_cast<char>(high << 4 | low);
  }
  return bytes;
}

std::string sha256_hex(std::string_view data) {
  Sha256 sha;
  sha.begin();
  sha.update(data);
  return to_hex(sha.finish());
}

}  // namespace paddock
