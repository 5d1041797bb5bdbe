// Where `paddock audit` reads a trail from: a run in the store (by id, unique prefix, or the
// newest when none is given), a run's directory, or an exported bundle file.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "audit/run_store.hpp"
#include "audit/signing_key.hpp"
#include "audit/verify.hpp"

namespace paddock::cli {

// Exit statuses of `paddock audit verify` (besides 0 for ok or still open).
inline constexpr int kExitTampered = 1;
inline constexpr int kExitTorn = 3;

struct TrailSource {
  std::string name;  // the run's id, or the path given
  std::string text;  // the file as read (a bundle's header included)
  std::string_view trail;
  audit::RunMeta meta;
  audit::TrailContext context;
  std::optional<std::string> bundle_key_pem;  // the key a bundle carries (not trusted by itself)
};

TrailSource load_trail_source(const audit::RunStore& store, const std::string& target);
// The trail of run `id` in the store, an id resolved already (resolving lists every run).
TrailSource load_run_trail(const audit::RunStore& store, const std::string& id);

// Where the installation's signing key lives, and its public half (what `paddock audit key`
// prints).
std::string installation_key_directory();
std::string installation_public_key_path();

// The key to check checkpoints against: `public_key_file` when given; else this machine's key
// (a bundle must carry that same key, or --public-key is needed).
audit::SignatureVerifier trusted_key(const TrailSource& source, const std::string& public_key_file);

}  // namespace paddock::cli
