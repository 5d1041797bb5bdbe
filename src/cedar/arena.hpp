// A bump allocator for Cedar values. Values are plain data that point at their strings, set
// elements and record entries; those live in an Arena owned by whoever owns the values (a
// policy set for literals, an entity store for attributes, a request for its context, an
// Authorizer for what evaluation computes). reset() rewinds without returning memory, so an
// arena reused across requests stops allocating once it has grown to the working size.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace paddock::cedar {

class Arena {
 public:
  explicit Arena(std::size_t first_block_bytes = 4096) : next_block_bytes_(first_block_bytes) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  Arena(Arena&&) noexcept = default;
  Arena& operator=(Arena&&) noexcept = default;
  ~Arena() = default;

  // Uninitialised storage for `bytes` bytes aligned to `align` (a power of two <= 16).
  void* allocate(std::size_t bytes, std::size_t align = alignof(std::max_align_t)) {
    std::size_t start = (offset_ + align - 1) & ~(align - 1);
    if (current_ < blocks_.size() && start + bytes <= blocks_[current_].size) {
      offset_ = start + bytes;
      return blocks_[current_].data.get() + start;
    }
    return allocate_slow(bytes, align);
  }

  // Storage for `n` objects of a trivially destructible type (the arena never runs destructors).
  template <class T>
  T* allocate_array(std::size_t n) {
    static_assert(std::is_trivially_destructible_v<T>);
    return static_cast<T*>(allocate(sizeof(T) * (n == 0 ? 1 : n), alignof(T)));
  }

  std::string_view copy(std::string_view s) {
    if (s.empty()) return {};
    char* p = static_cast<char*>(allocate(s.size(), 1));
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }

  // Forget everything allocated; keeps the blocks for reuse.
  void reset() noexcept {
    current_ = 0;
    offset_ = 0;
  }

 private:
  struct Block {
    std::unique_ptr<std::byte[]> data;
    std::size_t size;
  };

  void* allocate_slow(std::size_t bytes, std::size_t align) {
    // Move on to the next kept block that is big enough, else add one.
    while (++current_ < blocks_.size()) {
      if (bytes + align <= blocks_[current_].size) {
        offset_ = bytes;
        return blocks_[current_].data.get();
      }
    }
    std::size_t size = std::max(next_block_bytes_, bytes + align);
    next_block_bytes_ = std::min<std::size_t>(next_block_bytes_ * 2, std::size_t{1} << 20);
    blocks_.push_back(Block{std::make_unique<std::byte[]>(size), size});
    current_ = blocks_.size() - 1;
    offset_ = bytes;
    return blocks_[current_].data.get();
  }

  std::vector<Block> blocks_;
  std::size_t current_ = 0;
  std::size_t offset_ = 0;
  std::size_t next_block_bytes_;
};

}  // namespace paddock::cedar
