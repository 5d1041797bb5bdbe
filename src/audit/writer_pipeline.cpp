#include "audit/writer_pipeline.hpp"

#include <utility>

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

std::exception_ptr HelperThread::wait() noexcept {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !pending_; });
  return std::exchange(failure_, nullptr);
}

void HelperThread::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return pending_ || quit_; });
    if (quit_) return;
    lock.unlock();
    std::exception_ptr failure;
    try {
      job_();
    } catch (...) {  // handed to the thread that waits: none may reach std::terminate here
      failure = std::current_exception();
    }
    lock.lock();
    failure_ = std::move(failure);
    pending_ = false;
    changed_.notify_all();
  }
}

}  // namespace paddock::audit
