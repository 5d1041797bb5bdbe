// SHA-256 through OpenSSL 3: one-shot as hex, and a reusable context for hot loops (the audit
// trail hashes every record; fetching the algorithm and allocating a context per record would
// cost more than the hash itself).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

struct evp_md_st;
struct evp_md_ctx_st;

namespace paddock {

using Sha256Digest = std::array<unsigned char, 32>;

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void begin();
  void update(std::string_view data);
  Sha256Digest finish();

 private:
  evp_md_st* md_;
  evp_md_ctx_st* ctx_;
};

// Lower-case hex of `bytes`; `out` must hold 2 * bytes.size() characters.
void to_hex(std::string_view bytes, char* out);
std::string to_hex(std::string_view bytes);
inline std::string to_hex(const Sha256Digest& digest) {
  return to_hex(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

// The bytes that lower-case hex spells; nullopt when `hex` is not that.
std::optional<std::string> bytes_from_hex(std::string_view hex);

// The SHA-256 of `data` in lower-case hex.
std::string sha256_hex(std::string_view data);

}  // namespace paddock
