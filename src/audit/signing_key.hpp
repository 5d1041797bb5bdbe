// The installation's Ed25519 key that signs the trail's checkpoints (docs/audit.md). The private
// key lives under $XDG_DATA_HOME/paddock/audit (0700 directory, 0600 file), outside every
// sandbox: no mount plan includes it. Verifiers need only the public key (PEM, or the raw 32
// bytes in hex as each checkpoint records it).
#pragma once

#include <string>
#include <string_view>

#include "common/openssl_handles.hpp"

namespace paddock::audit {

class SigningKey {
 public:
  // The key in `directory` (created with it on first use).
  static SigningKey load_or_create(const std::string& directory);
  // A fresh key that is never stored (tests, benchmarks).
  static SigningKey generate();

  // The Ed25519 signature of `message`, in hex (128 characters).
  std::string sign(std::string_view message) const;
  // The raw public key in hex (64 characters).
  const std::string& public_key_hex() const { return public_hex_; }
  std::string public_key_pem() const;

 private:
  explicit SigningKey(PKey key);
  PKey key_;
  std::string public_hex_;
};

// Checks signatures against one public key.
class SignatureVerifier {
 public:
  // From the raw public key in hex; throws Error when it is not one.
  static SignatureVerifier from_hex(std::string_view public_key_hex);
  // From a PEM public key (what `paddock audit key` prints); throws Error when it is not one.
  static SignatureVerifier from_pem(std::string_view pem);

  bool verify(std::string_view message, std::string_view signature_hex) const;
  const std::string& public_key_hex() const { return public_hex_; }
  std::string public_key_pem() const;

 private:
  explicit SignatureVerifier(PKey key);
  PKey key_;
  std::string public_hex_;
};

// The file names under the key directory.
inline constexpr std::string_view kPrivateKeyFile = "signing-key.pem";
inline constexpr std::string_view kPublicKeyFile = "signing-key.pub.pem";

}  // namespace paddock::audit
