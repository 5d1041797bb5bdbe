// Verification of one run's trail (docs/audit.md, "Verifying"): every line's layout, sequence
// number, chain link and hash, every checkpoint's signature against the trusted key, and the
// end of the trail against what the run's metadata says. It reports the first bad record
// exactly; a final line torn by a crash is reported as torn and condemns nothing before it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "audit/signing_key.hpp"

namespace paddock::audit {

enum class TrailStatus {
  ok,        // complete: every record intact, ending in a valid final checkpoint
  open,      // the run is still going; everything written so far is intact
  torn,      // the run ended without closing its trail (a crash); the records before it are intact
  tampered,  // a record was edited, deleted, inserted, reordered or cut off
};

// What the run's metadata says about the trail.
struct TrailContext {
  std::string run_id;
  bool live = false;                            // the run's supervisor is still running
  std::optional<std::uint64_t> closed_records;  // the run ended and wrote this many records
  // Why the run's writer stopped early (a full disk): its trail ends after closed_records, torn
  // perhaps and without a final checkpoint, which then is no sign of a cut.
  std::string writer_error;
};

struct VerifyReport {
  TrailStatus status = TrailStatus::ok;
  std::uint64_t records = 0;         // records that are intact and chain
  std::uint64_t signed_records = 0;  // of those, the ones a valid checkpoint vouches for
  std::uint64_t checkpoints = 0;
  std::uint64_t bad_line = 0;  // 1-based line of the first problem (0: none)
  std::string problem;         // what is wrong, one sentence ("" when ok)
};

VerifyReport verify_trail(std::string_view trail, const TrailContext& context, const SignatureVerifier& key);

}  // namespace paddock::audit
