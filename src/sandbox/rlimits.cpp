#include "sandbox/rlimits.hpp"

#include <sys/resource.h>

#include "common/error.hpp"

namespace paddock::sandbox::rlimits {

void apply(std::optional<std::uint64_t> nproc) {
  struct rlimit none {
    0, 0
  };
  if (::setrlimit(RLIMIT_CORE, &none) != 0) throw SysError("setrlimit(RLIMIT_CORE)");
  if (nproc) {
    struct rlimit limit {
      *nproc, *nproc
    };
    if (::setrlimit(RLIMIT_NPROC, &limit) != 0) throw SysError("setrlimit(RLIMIT_NPROC)");
  }
}

}  // namespace paddock::sandbox::rlimits
