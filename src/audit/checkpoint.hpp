// Checkpoint records (docs/audit.md): kind "checkpoint", event {"final","key","signature"}. The
// signature is Ed25519 over
//   "paddock audit checkpoint v1\n" run_id "\n" seq "\n" prev "\n" ("final" | "open")
// where seq and prev are the checkpoint record's own: prev is the hash of the record before it,
// so one signature vouches for the whole chain up to there. The writer adds one every N records,
// at least once a second while records arrive, and a final one when the run ends.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace paddock::audit {

inline constexpr std::string_view kCheckpointKind = "checkpoint";

std::string checkpoint_message(std::string_view run_id, std::uint64_t seq, std::string_view prev, bool final);

struct CheckpointEvent {
  bool final = false;
  std::string key;        // the signer's raw Ed25519 public key, hex
  std::string signature;  // hex
};

void append_checkpoint_event(std::string& out, const CheckpointEvent& checkpoint);
// nullopt when `event_json` is not a checkpoint's event.
std::optional<CheckpointEvent> parse_checkpoint_event(std::string_view event_json);

}  // namespace paddock::audit
