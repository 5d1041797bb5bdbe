#include "audit/trail_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/core.h>

#include <algorithm>

#include "audit/checkpoint.hpp"
#include "audit/event_json.hpp"
#include "audit/record.hpp"
#include "common/error.hpp"

namespace paddock::audit {
namespace {

constexpr std::size_t kChunk = 1024;
// A batch this large means producers outpace the commit interval: the writer stops sleeping.
constexpr std::size_t kLargeBatch = 4096;

}  // namespace

TrailWriter::TrailWriter(const std::string& path, std::string run_id, const SigningKey& key, TrailOptions options)
    : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600)),
      run_id_(std::move(run_id)),
      key_(key),
      options_(options),
      prev_(genesis_hash(run_id_)),
      last_checkpoint_(std::chrono::steady_clock::now()) {
  if (!fd_) throw SysError("create the audit trail " + path);
}

TrailWriter::~TrailWriter() {
  close();
}

void TrailWriter::record(Event event) noexcept {
  if (event.time_ns == 0) event.time_ns = now_ns();
  std::unique_lock lock(mutex_);
  if (closed_) return;
  // Back-pressure only when the writer is far behind: the trail loses nothing.
  if (running_ && queue_.size() >= options_.queue_limit)
    space_.wait(lock, [&] { return queue_.size() < options_.queue_limit || !running_; });
  queue_.push_back(std::move(event));
}

void TrailWriter::start() {
  std::lock_guard lock(mutex_);
  if (running_ || closed_) return;
  running_ = true;
  thread_ = std::thread([this] { run(); });
}

void TrailWriter::run() {
  std::vector<Event> batch;
  bool behind = false;  // the last batch was large: take the next one at once
  for (;;) {
    bool final;
    {
      std::unique_lock lock(mutex_);
      if (!behind) wake_.wait_for(lock, options_.commit_interval, [&] { return stopping_; });
      batch.swap(queue_);
      final = stopping_;
    }
    behind = batch.size() >= kLargeBatch;
    space_.notify_all();
    commit(batch, final);
    batch.clear();
    if (final) return;
  }
}

TrailWriter::Totals TrailWriter::close() {
  bool was_running;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return {seq_, prev_, error_};
    closed_ = true;
    stopping_ = true;
    was_running = running_;
  }
  if (was_running) {
    wake_.notify_all();
    thread_.join();
  } else {
    commit(queue_, true);
  }
  {
    std::lock_guard lock(mutex_);
    running_ = false;
  }
  space_.notify_all();
  return {seq_, prev_, error_};
}

void TrailWriter::append(std::string_view kind, std::int64_t time_ns, std::string_view event_json) {
  char hash[kHashLength], time_text[kTimeLength];
  format_time(time_ns, time_text);
  const std::string_view time(time_text, kTimeLength);
  ++seq_;
  hasher_.hash(seq_, time, kind, prev_, event_json, hash);
  append_record(buffer_, {seq_, time, kind, prev_, std::string_view(hash, kHashLength), event_json});
  prev_.assign(hash, kHashLength);
  ++since_checkpoint_;
}

void TrailWriter::commit(std::vector<Event>& events, bool final) {
  // In chunks that stay in the cache. While this thread chains chunk c into buffer_, the helper
  // writes chunk c-1 (now in written_), frees its events and encodes chunk c+1.
  const std::size_t chunk_count = (events.size() + kChunk - 1) / kChunk;
  const auto chunk_size = [&](std::size_t c) { return std::min(kChunk, events.size() - c * kChunk); };
  if (chunk_count > 0) chunks_[0].encode(events.data(), chunk_size(0));
  for (std::size_t c = 0; c < chunk_count; ++c) {
    if (c + 1 < chunk_count || !written_.empty())
      helper_.submit([this, &events, &chunk_size, c, chunk_count] {
        write_out(written_, false);
        if (c + 1 < chunk_count) chunks_[(c + 1) % 2].encode(events.data() + (c + 1) * kChunk, chunk_size(c + 1));
        // Chunk c-1 is done with: free its events' memory here rather than on the chain's thread.
        if (c > 0)
          for (std::size_t i = (c - 1) * kChunk; i < c * kChunk; ++i) events[i].body.emplace<SandboxExit>();
      });
    const EncodedChunk& chunk = chunks_[c % 2];
    for (std::size_t i = 0; i < chunk_size(c); ++i) {
      const Event& event = events[c * kChunk + i];
      append(kind(event), event.time_ns, chunk.event(i));
      if (since_checkpoint_ >= options_.checkpoint_records) checkpoint(false);
    }
    helper_.wait();
    buffer_.swap(written_);  // written_ was emptied by the helper
  }
  buffer_.swap(written_);
  if (final ||
      (since_checkpoint_ > 0 && std::chrono::steady_clock::now() - last_checkpoint_ >= options_.checkpoint_interval))
    checkpoint(final);
  write_out(buffer_, options_.sync);
}

void TrailWriter::checkpoint(bool final) {
  event_json_.clear();
  append_checkpoint_event(
      event_json_, {final, key_.public_key_hex(), key_.sign(checkpoint_message(run_id_, seq_ + 1, prev_, final))});
  append(kCheckpointKind, now_ns(), event_json_);
  since_checkpoint_ = 0;
  last_checkpoint_ = std::chrono::steady_clock::now();
}

void TrailWriter::write_out(std::string& buffer, bool sync) {
  // An empty buffer leaves nothing unsynced: every commit with records ends with a non-empty
  // buffer and its fdatasync, so an idle commit (every 20 ms) makes no syscall.
  if (buffer.empty()) return;
  if (error_.empty()) {
    std::string_view rest = buffer;
    while (!rest.empty()) {
      const ssize_t n = ::write(fd_.get(), rest.data(), rest.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        error_ = "write: " + errno_text(n < 0 ? errno : EIO);
        break;
      }
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
    // Start the disk's writeback of a chunk at once, so that the batch's one fdatasync finds
    // little left to do. Only a hint: where the file system refuses it, fdatasync does it all.
    if (error_.empty() && !sync && start_writeback_ &&
        ::sync_file_range(fd_.get(), static_cast<off_t>(written_bytes_), static_cast<off_t>(buffer.size()),
                          SYNC_FILE_RANGE_WRITE) != 0)
      start_writeback_ = false;
    written_bytes_ += buffer.size();
    if (error_.empty() && sync && ::fdatasync(fd_.get()) != 0) error_ = "fdatasync: " + errno_text(errno);
    if (!error_.empty())
      fmt::print(stderr, "paddock: the audit trail cannot be written ({}); events from now on are lost\n", error_);
  }
  if (error_.empty() && listener_ && !buffer.empty()) listener_(buffer);
  buffer.clear();
}

}  // namespace paddock::audit
