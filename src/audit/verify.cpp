#include "audit/verify.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstring>
#include <thread>
#include <vector>

#include "audit/checkpoint.hpp"
#include "audit/record.hpp"
#include "audit/writer_pipeline.hpp"

namespace paddock::audit {
namespace {

class Verifier {
 public:
  Verifier(const TrailContext& context, const SignatureVerifier& key)
      : context_(context), key_(key), prev_(genesis_hash(context.run_id)) {}

  VerifyReport run(std::string_view trail) {
    // Splitting, parsing and hashing a line does not depend on the others: a window of whole
    // lines is cut into parts read at once (part 0 on this thread, each other on a helper made
    // once per verification), then the chain, the sequence and the checkpoints are checked in order.
    std::vector<std::vector<Line>> parts(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
    std::vector<HelperThread> helpers(parts.size() - 1);
    std::uint64_t line_number = 0;
    for (;;) {
      const std::size_t window = whole_lines_through(trail, kWindowBytes - 1);
      if (window == 0) break;
      read_in_parts(trail.substr(0, window), parts, helpers);
      trail.remove_prefix(window);
      for (const auto& part : parts)
        for (const Line& line : part)
          if (!check_line(++line_number, line)) return report_;
    }
    if (!trail.empty()) return torn_tail(line_number + 1, trail.size());
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
  // About 16,000 records; a window smaller than kPartBytes is read by this thread alone.
  static constexpr std::size_t kWindowBytes = std::size_t{8} << 20;
  static constexpr std::size_t kPartBytes = std::size_t{256} << 10;

  // The length of `text`'s prefix that ends with the line holding byte `at`, else with the last
  // whole line; 0 when `text` holds none.
  static std::size_t whole_lines_through(std::string_view text, std::size_t at) {
    if (at < text.size()) {
      const std::size_t newline = text.find('\n', at);
      if (newline != std::string_view::npos) return newline + 1;
    }
    return text.rfind('\n') + 1;  // npos + 1: none
  }

  // Splits `text` (whole lines) into lines, parsing and hashing each.
  static void read_lines(std::string_view text, std::vector<Line>& lines) {
    lines.clear();
    RecordHasher hasher;
    char hash[kHashLength];
    while (!text.empty()) {
      const auto* newline = static_cast<const char*>(std::memchr(text.data(), '\n', text.size()));
      Line& line = lines.emplace_back();
      line.text = text.substr(0, static_cast<std::size_t>(newline - text.data()));
      text.remove_prefix(line.text.size() + 1);
      line.record = parse_record(line.text);
      if (!line.record) continue;
      const RecordView& r = *line.record;
      hasher.hash(r.seq, r.time, r.kind, r.prev, r.event, hash);
      line.hash_ok = std::string_view(hash, kHashLength) == r.hash;
    }
  }

  // read_lines() over `text` (whole lines), cut at line ends into about equal parts, at once.
  static void read_in_parts(std::string_view text, std::vector<std::vector<Line>>& parts,
                            std::vector<HelperThread>& helpers) {
    // A small text is one part: waking a helper would cost more than it saves.
    const std::size_t count = text.size() < kPartBytes ? 1 : parts.size();
    std::string_view first;
    std::size_t begin = 0;
    for (std::size_t p = 0; p < count; ++p) {
      const std::size_t end =
          p + 1 == count ? text.size() : std::max(begin, whole_lines_through(text, text.size() * (p + 1) / count - 1));
      const std::string_view part = text.substr(begin, end - begin);
      begin = end;
      if (p == 0)
        first = part;
      else
        helpers[p - 1].submit([part, &lines = parts[p]] { read_lines(part, lines); });
    }
    for (std::size_t p = count; p < parts.size(); ++p) parts[p].clear();
    read_lines(first, parts[0]);
    for (std::size_t p = 1; p < count; ++p)
      if (const auto failure = helpers[p - 1].wait()) std::rethrow_exception(failure);
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

  // The run's writer failed after the records on disk, as many as the run says it wrote.
  bool writer_failed_here() const {
    return !context_.writer_error.empty() && context_.closed_records == report_.records;
  }
  VerifyReport writer_failed(std::uint64_t line) {
    report_.status = TrailStatus::torn;
    report_.bad_line = line;
    report_.problem =
        fmt::format("the run's audit writer failed ({}) after record {}; the records before it are intact{}",
                    context_.writer_error, report_.records, unsigned_note());
    return report_;
  }

  VerifyReport torn_tail(std::uint64_t line, std::size_t bytes) {
    if (writer_failed_here()) return writer_failed(line);
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
    if (writer_failed_here()) return writer_failed(last + 1);
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
