// Resource limits set with setrlimit: no core dumps, and the process-count fallback used when
// no cgroup pids controller is available (inside a user namespace RLIMIT_NPROC counts only the
// sandbox's own processes, so it is a per-sandbox limit there).
#pragma once

#include <cstdint>
#include <optional>

namespace paddock::sandbox::rlimits {

void apply(std::optional<std::uint64_t> nproc);

}  // namespace paddock::sandbox::rlimits
