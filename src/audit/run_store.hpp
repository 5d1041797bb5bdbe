// The runs on this machine: one directory per `paddock run` under $XDG_STATE_HOME/paddock/runs,
// named by the run's id (UTC start time and random digits, so that names sort by time), holding
// audit.jsonl and meta.json (the command, profile, policy hash, start, end, exit status, and
// what the run's trail ended with).
#pragma once

#include <sys/types.h>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace paddock::audit {

inline constexpr std::string_view kTrailFile = "audit.jsonl";
inline constexpr std::string_view kMetaFile = "meta.json";

struct RunMeta {
  std::string id;
  std::vector<std::string> command;
  std::string workspace;
  std::string profile;
  std::string policy_hash;
  std::int64_t start_ns = 0;
  std::optional<std::int64_t> end_ns;  // set when the run ended and closed its trail
  std::optional<int> exit_status;
  pid_t supervisor_pid = 0;
  std::uint64_t supervisor_start = 0;    // the supervisor's start time (/proc/PID/stat), against pid reuse
  std::string public_key;                // the checkpoints' signer, raw Ed25519 in hex
  std::optional<std::uint64_t> records;  // what the closed trail holds
  std::string last_hash;
  std::string trail_error;  // why the writer stopped early ("" when it did not)
};

// meta.json's text, and back (Error naming `where` when it is not a run's metadata).
std::string meta_json(const RunMeta& meta);
RunMeta parse_meta(std::string_view text, const std::string& where);
// The same as JSON values, for documents that embed a run's metadata (bundles, runs --json).
nlohmann::json meta_to_json(const RunMeta& meta);
RunMeta meta_from_json(const nlohmann::json& in, const std::string& where);

enum class RunState { running, exited, crashed };
std::string_view state_name(RunState state);

class RunStore {
 public:
  explicit RunStore(std::string root);
  // state_directory()/runs
  static RunStore open_default();

  // A new run: gives `meta` its id, makes its directory (0700) and writes meta.json.
  void create(RunMeta& meta) const;
  void save(const RunMeta& meta) const;

  std::string directory(std::string_view id) const;
  RunMeta load(std::string_view id) const;
  // Every run with a readable meta.json, oldest first (by start time).
  std::vector<RunMeta> list() const;
  // The run an argument names: an id or a unique prefix of one; "" names the newest run.
  std::string resolve(std::string_view id_or_prefix) const;
  void remove(std::string_view id) const;

  RunState state(const RunMeta& meta) const;

 private:
  std::string root_;
};

// A process's start time as /proc/PID/stat gives it (clock ticks since boot); 0 when it is
// gone or a zombie.
std::uint64_t process_start_time(pid_t pid);

}  // namespace paddock::audit
