#include "audit/writer_pipeline.hpp"

#include "audit/event_json.hpp"

namespace paddock::audit {

void EncodedChunk::encode(const Event* events, std::size_t count) {
  text.clear();
  ends.clear();
  for (std::size_t i = 0; i < count; ++i) {
    append_event_json(text, events[i].body);
    ends.push_back(text.size());
  }
}

HelperThread::~HelperThread() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void HelperThread::submit(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    job_ = std::move(job);
    pending_ = true;
  }
  if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
  changed_.notify_all();
}

void HelperThread::wait() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !pending_; });
}

void HelperThread::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return pending_ || quit_; });
    if (quit_) return;
    lock.unlock();
    job_();
    lock.lock();
    pending_ = false;
    changed_.notify_all();
  }
}

}  // namespace paddock::audit
