#include "audit/verify.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstring>
#include <thread>
#include <vector>

#include "audit/checkpoint.hpp"
#include "audit/record.hpp"

namespace paddock::audit {
namespace {

class Verifier {
 public:
  Verifier(const TrailContext& context, const SignatureVerifier& key)
      : context_(context), key_(key), prev_(genesis_hash(context.run_id)) {}

  VerifyReport run(std::string_view trail) {
    // Parsing and hashing each line is independent of the others: worker threads do it for a
    // window of lines, then the chain, the sequence and the checkpoints are checked in order.
    const unsigned workers = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
    std::vector<Line> window;
    std::uint64_t line_number = 0;
    while (!trail.empty()) {
      window.clear();
      while (!trail.empty() && window.size() < kWindow) {
        const auto* newline = static_cast<const char*>(std::memchr(trail.data(), '\n', trail.size()));
        if (newline == nullptr) break;
        window.push_back({std::string_view(trail.data(), static_cast<std::size_t>(newline - trail.data())), {}, false});
        trail.remove_prefix(window.back().text.size() + 1);
      }
      hash_lines(window, workers);
      for (const Line& line : window)
        if (!check_line(++line_number, line)) return report_;
      if (window.empty()) return torn_tail(line_number + 1, trail.size());
    }
    return end_of_trail();
  }

 private:
  bool fail(std::uint64_t line, std::string problem) {
    report_.status = TrailStatus::tampered;
    report_.bad_line = line;
    report_.problem = std::move(problem);
    return false;
  }

  struct Line {
    std::string_view text;
    std::optional<RecordView> record;
    bool hash_ok = false;
  };
  static constexpr std::size_t kWindow = 16384;

  static void hash_range(Line* begin, Line* end) {
    RecordHasher hasher;
    char hash[kHashLength];
    for (Line* line = begin; line != end; ++line) {
      line->record = parse_record(line->text);
      if (!line->record) continue;
      const RecordView& r = *line->record;
      hasher.hash(r.seq, r.time, r.kind, r.prev, r.event, hash);
      line->hash_ok = std::string_view(hash, kHashLength) == r.hash;
    }
  }

  static void hash_lines(std::vector<Line>& lines, unsigned workers) {
    if (lines.size() < 1024 || workers == 1) return hash_range(lines.data(), lines.data() + lines.size());
    std::vector<std::thread> threads;
    const std::size_t share = (lines.size() + workers - 1) / workers;
    for (unsigned w = 1; w < workers; ++w) {
      Line* begin = lines.data() + std::min(lines.size(), w * share);
      Line* end = lines.data() + std::min(lines.size(), (w + 1) * share);
      threads.emplace_back([begin, end] { hash_range(begin, end); });
    }
    hash_range(lines.data(), lines.data() + std::min(lines.size(), share));
    for (auto& thread : threads) thread.join();
  }

  bool check_line(std::uint64_t line, const Line& checked) {
    if (final_seen_)
      return fail(line, fmt::format("line {} follows the final checkpoint: records were appended after the run closed "
                                    "its trail",
                                    line));
    const auto& record = checked.record;
    if (!record) return fail(line, fmt::format("line {} is not a well-formed record: it was edited or inserted", line));
    if (!checked.hash_ok)
      return fail(
          line, fmt::format("record {} (line {}) was edited: its content does not match its hash", record->seq, line));
    if (record->seq != line) {
      if (line > 1 && record->seq == line - 1)
        return fail(line - 1, fmt::format("lines {} and {} both hold record {}: one of them was inserted", line - 1,
                                          line, record->seq));
      if (record->seq > line)
        return fail(line, fmt::format("record {} is missing: line {} holds record {} (deleted or reordered)", line,
                                      line, record->seq));
      return fail(line,
                  fmt::format("line {} holds record {} again: a record was inserted or reordered", line, record->seq));
    }
    if (record->prev != prev_)
      return fail(line,
                  fmt::format("record {} does not chain to the record before it: that record was replaced", line));
    prev_.assign(record->hash);
    ++report_.records;
    if (record->kind == kCheckpointKind && !check_checkpoint(line, *record)) return false;
    return true;
  }

  bool check_checkpoint(std::uint64_t line, const RecordView& record) {
    const auto checkpoint = parse_checkpoint_event(record.event);
    if (!checkpoint) return fail(line, fmt::format("checkpoint {} (line {}) is malformed", record.seq, line));
    if (checkpoint->key != key_.public_key_hex())
      return fail(line, fmt::format("checkpoint {} (line {}) is signed by another key ({}), not the trusted one",
                                    record.seq, line, checkpoint->key));
    if (!key_.verify(checkpoint_message(context_.run_id, record.seq, record.prev, checkpoint->final),
                     checkpoint->signature))
      return fail(line, fmt::format("checkpoint {} (line {}) has an invalid signature: the records before it were "
                                    "rewritten",
                                    record.seq, line));
    ++report_.checkpoints;
    report_.signed_records = record.seq;
    final_seen_ = checkpoint->final;
    return true;
  }

  VerifyReport torn_tail(std::uint64_t line, std::size_t bytes) {
    if (context_.closed_records)
      fail(line, fmt::format("the trail was cut: line {} is incomplete ({} bytes), but the run closed it with {} "
                             "records",
                             line, bytes, *context_.closed_records));
    else if (final_seen_)
      fail(line, fmt::format("line {} follows the final checkpoint", line));
    else if (context_.live)
      report_.status = TrailStatus::open;
    else {
      report_.status = TrailStatus::torn;
      report_.bad_line = line;
      report_.problem = fmt::format(
          "the final line ({}) is torn: {} bytes of a record the run was writing when it "
          "ended without closing its trail; the {} records before it are intact{}",
          line, bytes, report_.records, unsigned_note());
    }
    return report_;
  }

  VerifyReport end_of_trail() {
    const std::uint64_t last = report_.records;
    if (final_seen_) {
      if (context_.closed_records && *context_.closed_records != last)
        fail(last,
             fmt::format("the trail holds {} records, but the run closed it with {}", last, *context_.closed_records));
      return report_;
    }
    if (context_.closed_records)
      fail(last + 1, fmt::format("the trail ends at record {} without its final checkpoint, but the run closed it "
                                 "with {} records: the records after {} were deleted",
                                 last, *context_.closed_records, last));
    else if (context_.live)
      report_.status = TrailStatus::open;
    else {
      report_.status = TrailStatus::torn;
      report_.bad_line = last + 1;
      report_.problem = fmt::format(
          "the run ended without closing its trail (killed or crashed) after record {}; the "
          "records are intact{}",
          last, unsigned_note());
    }
    return report_;
  }

  std::string unsigned_note() const {
    if (report_.records == report_.signed_records) return "";
    return fmt::format(" (records {} to {} are chained but no checkpoint signs them)", report_.signed_records + 1,
                       report_.records);
  }

  const TrailContext& context_;
  const SignatureVerifier& key_;
  std::string prev_;
  bool final_seen_ = false;
  VerifyReport report_;
};

}  // namespace

VerifyReport verify_trail(std::string_view trail, const TrailContext& context, const SignatureVerifier& key) {
  return Verifier(context, key).run(trail);
}

}  // namespace paddock::audit
