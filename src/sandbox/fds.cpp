#include "sandbox/fds.hpp"

#include <linux/close_range.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <vector>

#include "common/error.hpp"

namespace paddock::sandbox::fds {

void close_all_except(std::initializer_list<int> keep) {
  std::vector<int> kept(keep.begin(), keep.end());
  std::sort(kept.begin(), kept.end());
  unsigned int first = 3;
  for (int fd : kept) {
    if (fd < 3) continue;
    if (static_cast<unsigned int>(fd) > first && ::close_range(first, static_cast<unsigned int>(fd) - 1, 0) != 0)
      throw SysError("close_range");
    first = static_cast<unsigned int>(fd) + 1;
  }
  if (::close_range(first, UINT_MAX, 0) != 0) throw SysError("close_range");
}

}  // namespace paddock::sandbox::fds
