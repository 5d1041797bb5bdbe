// File-descriptor hygiene: a sandbox starts with stdio and nothing else of its parent's
// descriptors (runc CVE-2024-21626 leaked a host directory this way).
#pragma once

#include <initializer_list>

namespace paddock::sandbox::fds {

// Closes every descriptor above 2 except those listed.
void close_all_except(std::initializer_list<int> keep);

}  // namespace paddock::sandbox::fds
