// The audit writer: the Sink that a run's producers record into. record() only moves the event
// into a queue (a decision never waits on the disk); one writer thread numbers, hashes and
// serialises the queued events, adds signed checkpoints, and writes them to audit.jsonl in
// batches (group commit), each followed by fdatasync, at least every `commit_interval`.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "audit/event.hpp"
#include "audit/record.hpp"
#include "audit/signing_key.hpp"
#include "audit/writer_pipeline.hpp"
#include "common/unique_fd.hpp"

namespace paddock::audit {

struct TrailOptions {
  std::chrono::milliseconds commit_interval{20};        // the longest a record waits for the disk
  std::uint64_t checkpoint_records = 10000;             // a checkpoint at least every this many records
  std::chrono::milliseconds checkpoint_interval{1000};  // and at least this often while records arrive
  bool sync = true;                                     // fdatasync after each batch
  std::size_t queue_limit = std::size_t{1} << 18;       // past this, producers wait for the writer
};

class TrailWriter final : public Sink {
 public:
  // Creates `path` (it must not exist). The key signs the checkpoints; it must outlive the writer.
  TrailWriter(const std::string& path, std::string run_id, const SigningKey& key, TrailOptions options = {});
  ~TrailWriter() override;
  TrailWriter(const TrailWriter&) = delete;
  TrailWriter& operator=(const TrailWriter&) = delete;

  // Queues `event`. Once close() has taken the final batch (or the writer has failed) nobody
  // would write it: it is refused and counted in Totals::dropped instead.
  void record(Event&& event) noexcept override;

  // Called with each run of lines once write() has put it in the file (the live stream): on the
  // writer thread, or its helper for the first chunks of a large batch, which reach the listener
  // before the batch's fdatasync. An exception it throws stops the writer (Totals::error).
  // Set it before start().
  using Listener = std::function<void(std::string_view lines)>;
  void set_listener(Listener listener) { listener_ = std::move(listener); }

  // Starts the writer thread. Until then events queue up (a run starts it once the sandbox is
  // cloned, so that no thread of ours exists while the child is made).
  void start();

  // What is in the file: after a write error, less than was encoded.
  struct Totals {
    std::uint64_t records = 0;  // complete records in the file, checkpoints included
    std::string last_hash;      // the last one's hash (the genesis hash when there is none)
    std::string error;          // the first write error or exception ("" when none)
    std::uint64_t dropped = 0;  // events refused by record() after the final batch or a failure
  };
  // Writes everything queued and a final checkpoint, syncs, and stops the thread. Idempotent
  // (a later call counts the events refused since).
  Totals close();

 private:
  void run();
  // commit(), with any exception made the writer's error so that none reaches std::terminate;
  // false when it threw.
  bool commit_or_fail(std::vector<Event>& events, bool final) noexcept;
  // Encodes `events` (and a checkpoint when one is due or `final`) and writes them.
  void commit(std::vector<Event>& events, bool final);
  // Appends a signed checkpoint over everything appended so far.
  void checkpoint(bool final);
  void append(std::string_view kind, std::int64_t time_ns, std::string_view event_json);
  // Writes `buffer` (then fdatasync when `sync`), hands it to the listener, empties it.
  void write_out(std::string& buffer, bool sync);
  // Notes the last complete record of `written`, lines that write() has just put in the file.
  void note_written(std::string_view written);
  // Records the first error (and says once on stderr that the trail is incomplete).
  void fail(std::string error);
  // Refuses every later event: the writer has stopped.
  void seal_after_failure();
  // Once the producers that were waiting when the queue was sealed have counted their drops.
  Totals totals(std::unique_lock<std::mutex>& lock);

  UniqueFd fd_;
  std::string run_id_;
  const SigningKey& key_;
  TrailOptions options_;
  Listener listener_;

  std::mutex mutex_;
  std::condition_variable wake_;  // close() wakes the writer
  // The writer wakes producers waiting on a full queue; a refused one wakes close().
  std::condition_variable space_;
  std::vector<Event> queue_;
  bool started_ = false;
  bool closed_ = false;                // close() has begun
  bool sealed_ = false;                // the final batch is taken, or the writer failed: record() refuses
  std::size_t waiting_producers_ = 0;  // in record(), waiting for space
  std::uint64_t dropped_ = 0;
  std::thread thread_;

  // Owned by the writer thread (or by close() when the thread never ran).
  std::uint64_t seq_ = 0;
  std::string prev_;
  std::uint64_t since_checkpoint_ = 0;
  std::chrono::steady_clock::time_point last_checkpoint_;
  RecordHasher hasher_;
  TimeFormatter times_;
  std::string buffer_, event_json_;
  std::string written_;  // the chunk the helper writes while buffer_ fills
  EncodedChunk chunks_[2];
  HelperThread helper_;  // joined before the buffers it uses are destroyed
  std::string error_;
  std::uint64_t records_written_ = 0;  // complete records in the file
  std::string last_written_hash_;
  std::uint64_t written_bytes_ = 0;  // the file's size (it is opened empty)
  bool start_writeback_ = true;      // sync_file_range works on this file system
};

}  // namespace paddock::audit
