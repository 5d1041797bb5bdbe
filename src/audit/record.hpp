// One record of audit.jsonl, as docs/audit.md specifies it: a line holding one canonical JSON
// object with the members event, hash, kind, prev, seq and time (in that order, the canonical
// one), where
//   hash = SHA-256( seq "\n" time "\n" kind "\n" prev "\n" event )
// over the exact bytes of those members' values (seq in decimal, event as its canonical JSON),
// prev is the hash of the record before it (for the first record, the run's genesis hash), and
// time is RFC 3339 in UTC with nine fractional digits.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "common/sha256.hpp"

namespace paddock::audit {

inline constexpr std::size_t kHashLength = 64;  // hex digits of a SHA-256
inline constexpr std::size_t kTimeLength = 30;  // 2026-12-06T23:10:00.123456789Z

// The `prev` of the first record: SHA-256("paddock audit v1\n" run_id), which binds the chain to
// its run (a record moved from another run's trail does not chain).
std::string genesis_hash(std::string_view run_id);

// RFC 3339, UTC, nanoseconds: always kTimeLength characters.
std::string format_time(std::int64_t unix_ns);
void format_time(std::int64_t unix_ns, char* out);  // writes kTimeLength characters
// format_time for a stream of times close together, as the writer's are: the date and the
// clock are spelled again only when the second changes, otherwise only the nanoseconds.
class TimeFormatter {
 public:
  void format(std::int64_t unix_ns, char* out);  // writes kTimeLength characters

 private:
  std::int64_t second_ = std::numeric_limits<std::int64_t>::min();  // the second that text_ spells
  char text_[kTimeLength] = {};
};
// The inverse of format_time; nullopt when `text` is not in exactly that form.
std::optional<std::int64_t> parse_time(std::string_view text);

// The members of one line, pointing into it.
struct RecordView {
  std::uint64_t seq = 0;
  std::string_view time;
  std::string_view kind;
  std::string_view prev;
  std::string_view hash;
  std::string_view event;  // the event's canonical JSON object
};

// Hashes records; keeps one OpenSSL context for all of them.
class RecordHasher {
 public:
  // The record's hash in hex (kHashLength characters written to `out`).
  void hash(std::uint64_t seq, std::string_view time, std::string_view kind, std::string_view prev,
            std::string_view event, char* out);

 private:
  Sha256 sha_;
  std::string head_;  // the bytes hashed before the event, reused
};

// Appends the record's line, '\n' included. `hash` is what RecordHasher computed for it.
void append_record(std::string& out, const RecordView& record);

// The members of `line` (without its '\n'), or nullopt when it is not a record in the canonical
// layout. Only the layout is checked here; the hash check is the verifier's.
std::optional<RecordView> parse_record(std::string_view line);

}  // namespace paddock::audit
