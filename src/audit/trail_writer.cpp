#include "audit/trail_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/core.h>

#include <algorithm>
#include <cstring>

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
      last_checkpoint_(std::chrono::steady_clock::now()),
      last_written_hash_(prev_) {
  if (!fd_) throw SysError("create the audit trail " + path);
}

TrailWriter::~TrailWriter() {
  close();
}

void TrailWriter::record(Event&& event) noexcept {
  if (event.time_ns == 0) event.time_ns = now_ns();
  std::unique_lock lock(mutex_);
  // Back-pressure only when the writer is far behind: the trail loses nothing.
  if (started_ && !sealed_ && queue_.size() >= options_.queue_limit) {
    ++waiting_producers_;
    space_.wait(lock, [&] { return queue_.size() < options_.queue_limit || sealed_; });
    // close() reports the drops once no producer is left waiting.
    if (--waiting_producers_ == 0 && sealed_) space_.notify_all();
  }
  if (sealed_) {
    ++dropped_;
    return;
  }
  queue_.push_back(std::move(event));
}

void TrailWriter::start() {
  std::lock_guard lock(mutex_);
  if (started_ || closed_) return;
  started_ = true;
  thread_ = std::thread([this] { run(); });
}

void TrailWriter::run() {
  std::vector<Event> batch;
  bool behind = false;  // the last batch was large: take the next one at once
  bool final = false;
  while (!final) {
    {
      std::unique_lock lock(mutex_);
      if (!behind) wake_.wait_for(lock, options_.commit_interval, [&] { return closed_; });
      batch.swap(queue_);
      final = closed_;
      sealed_ = final;
    }
    behind = batch.size() >= kLargeBatch;
    space_.notify_all();
    if (!commit_or_fail(batch, final)) return seal_after_failure();
    batch.clear();
  }
}

TrailWriter::Totals TrailWriter::close() {
  bool was_started;
  std::vector<Event> batch;
  std::unique_lock lock(mutex_);
  if (closed_) return totals(lock);
  closed_ = true;
  was_started = started_;
  if (!was_started) {
    sealed_ = true;
    batch.swap(queue_);
  }
  lock.unlock();
  if (was_started) {
    wake_.notify_all();
    thread_.join();
  } else if (!commit_or_fail(batch, true)) {
    seal_after_failure();
  }
  lock.lock();
  return totals(lock);
}

TrailWriter::Totals TrailWriter::totals(std::unique_lock<std::mutex>& lock) {
  space_.wait(lock, [&] { return waiting_producers_ == 0; });
  return {records_written_, last_written_hash_, error_, dropped_};
}

void TrailWriter::seal_after_failure() {
  {
    std::lock_guard lock(mutex_);
    sealed_ = true;
    dropped_ += queue_.size();
    queue_.clear();
  }
  space_.notify_all();
}

bool TrailWriter::commit_or_fail(std::vector<Event>& events, bool final) noexcept {
  try {
    commit(events, final);
    return true;
  } catch (const std::exception& e) {
    fail(std::string("the audit writer stopped: ") + e.what());
  } catch (...) {
    fail("the audit writer stopped on an unknown exception");
  }
  return false;
}

void TrailWriter::append(std::string_view kind, std::int64_t time_ns, std::string_view event_json) {
  char hash[kHashLength], time_text[kTimeLength];
  times_.format(time_ns, time_text);
  const std::string_view time(time_text, kTimeLength);
  ++seq_;
  hasher_.hash(seq_, time, kind, prev_, event_json, hash);
  append_record(buffer_, {seq_, time, kind, prev_, std::string_view(hash, kHashLength), event_json});
  std::memcpy(prev_.data(), hash, kHashLength);  // prev_ always holds kHashLength digits
  ++since_checkpoint_;
}

void TrailWriter::commit(std::vector<Event>& events, bool final) {
  // In chunks that stay in the cache. While this thread chains chunk c into buffer_ (freeing each
  // event's memory once chained), the helper writes chunk c-1 (now in written_) and encodes
  // chunk c+1. Both threads then take about the same time per chunk.
  const std::size_t chunk_count = (events.size() + kChunk - 1) / kChunk;
  const auto chunk_size = [&](std::size_t c) { return std::min(kChunk, events.size() - c * kChunk); };
  if (chunk_count > 0) chunks_[0].encode(events.data(), chunk_size(0));
  try {
    for (std::size_t c = 0; c < chunk_count; ++c) {
      if (c + 1 < chunk_count || !written_.empty())
        helper_.submit([this, &events, &chunk_size, c, chunk_count] {
          write_out(written_, false);
          if (c + 1 < chunk_count) chunks_[(c + 1) % 2].encode(events.data() + (c + 1) * kChunk, chunk_size(c + 1));
        });
      const EncodedChunk& chunk = chunks_[c % 2];
      for (std::size_t i = 0; i < chunk_size(c); ++i) {
        Event& event = events[c * kChunk + i];
        append(kind(event), event.time_ns, chunk.event(i));
        event.body.emplace<SandboxExit>();  // its JSON is in the chunk: nothing reads it again
        if (since_checkpoint_ >= options_.checkpoint_records) checkpoint(false);
      }
      if (const auto failure = helper_.wait()) std::rethrow_exception(failure);
      buffer_.swap(written_);  // written_ was emptied by the helper
    }
  } catch (...) {
    (void)helper_.wait();  // its job refers to this frame
    throw;
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
        fail("write: " + errno_text(n < 0 ? errno : EIO));
        break;
      }
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
    note_written(std::string_view(buffer).substr(0, buffer.size() - rest.size()));
    // Start the disk's writeback of a chunk at once, so that the batch's one fdatasync finds
    // little left to do. Only a hint: where the file system refuses it, fdatasync does it all.
    if (error_.empty() && !sync && start_writeback_ &&
        ::sync_file_range(fd_.get(), static_cast<off_t>(written_bytes_), static_cast<off_t>(buffer.size()),
                          SYNC_FILE_RANGE_WRITE) != 0)
      start_writeback_ = false;
    written_bytes_ += buffer.size();
    if (error_.empty() && sync && ::fdatasync(fd_.get()) != 0) fail("fdatasync: " + errno_text(errno));
  }
  if (error_.empty() && listener_ && !buffer.empty()) listener_(buffer);
  buffer.clear();
}

void TrailWriter::note_written(std::string_view written) {
  // The file holds whole lines up to the last newline written (a buffer starts at a line).
  const std::size_t end = written.rfind('\n');
  if (end == std::string_view::npos) return;
  const std::string_view lines = written.substr(0, end);
  const auto last = parse_record(lines.substr(lines.rfind('\n') + 1));  // npos + 1: the only line
  if (!last) return;
  records_written_ = last->seq;
  last_written_hash_.assign(last->hash);
}

void TrailWriter::fail(std::string error) {
  if (!error_.empty()) return;
  error_ = std::move(error);
  fmt::print(stderr, "paddock: the audit trail cannot be written ({}); events from now on are lost\n", error_);
}

}  // namespace paddock::audit
