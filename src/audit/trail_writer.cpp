#include "audit/trail_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/core.h>


#include "audit/checkpoint.hpp"
#include "audit/event_json.hpp"
#include "audit/record.hpp"
#include "common/error.hpp"

namespace paddock::audit {

TrailWriter::TrailWriter(const std::string& path, std::string run_id, const SigningKey& key, TrailOptions options)
    : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600)),
      run_id_(std::move(run_id)),
      key_(key),
      options_(options),
      prev_(genesis_hash(run_id_)),
      last_checkpoint_(std::chrono::steady_clock::now()) {
  if (!fd_) throw SysError("create the audit trail " + path);
}

TrailWriter::~TrailWriter() { close(); }

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
  for (;;) {
    bool final;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, options_.commit_interval, [&] { return stopping_; });
      batch.swap(queue_);
      final = stopping_;
    }
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
  char hash[kHashLength];
  const std::string time = format_time(time_ns);
  ++seq_;
  hasher_.hash(seq_, time, kind, prev_, event_json, hash);
  append_record(buffer_, {seq_, time, kind, prev_, std::string_view(hash, kHashLength), event_json});
  prev_.assign(hash, kHashLength);
  ++since_checkpoint_;
}

void TrailWriter::commit(std::vector<Event>& events, bool final) {
  for (const Event& event : events) {
    event_json_.clear();
    append_event_json(event_json_, event.body);
    append(kind(event), event.time_ns, event_json_);
    if (since_checkpoint_ >= options_.checkpoint_records) checkpoint(false);
  }
  if (final || (since_checkpoint_ > 0 &&
                std::chrono::steady_clock::now() - last_checkpoint_ >= options_.checkpoint_interval))
    checkpoint(final);
  write_out();
}

void TrailWriter::checkpoint(bool final) {
  event_json_.clear();
  append_checkpoint_event(event_json_,
                          {final, key_.public_key_hex(), key_.sign(checkpoint_message(run_id_, seq_ + 1, prev_, final))});
  append(kCheckpointKind, now_ns(), event_json_);
  since_checkpoint_ = 0;
  last_checkpoint_ = std::chrono::steady_clock::now();
}

void TrailWriter::write_out() {
  if (buffer_.empty()) return;
  if (error_.empty()) {
    std::string_view rest = buffer_;
    while (!rest.empty()) {
      const ssize_t n = ::write(fd_.get(), rest.data(), rest.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        error_ = "write: " + errno_text(n < 0 ? errno : EIO);
        break;
      }
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
    if (error_.empty() && options_.sync && ::fdatasync(fd_.get()) != 0) error_ = "fdatasync: " + errno_text(errno);
    if (!error_.empty())
      fmt::print(stderr, "paddock: the audit trail cannot be written ({}); events from now on are lost\n", error_);
  }
  if (error_.empty() && listener_) listener_(buffer_);
  buffer_.clear();
}

}  // namespace paddock::audit
