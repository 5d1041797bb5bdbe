// `paddock audit export`: one run as one self-contained file that verifies on another machine.
// Its first line is a JSON header {"format", "meta", "public_key"} (the run's meta.json and the
// signer's public key in PEM); the rest is the run's audit.jsonl, byte for byte.
#pragma once

#include <string>
#include <string_view>

#include "audit/run_store.hpp"

namespace paddock::audit {

inline constexpr std::string_view kBundleFormat = "paddock-audit-bundle/1";

std::string make_bundle(const RunMeta& meta, std::string_view public_key_pem, std::string_view trail);

struct Bundle {
  RunMeta meta;
  std::string public_key_pem;  // as the bundle says: trust it only if it is the key you expect
  std::string_view trail;      // points into the bundle's text
};

// True when `text` starts like a bundle (rather than a trail).
bool is_bundle(std::string_view text);
// Throws Error naming `where` when `text` is not a bundle.
Bundle parse_bundle(std::string_view text, const std::string& where);

}  // namespace paddock::audit
