// From what the policy allows at each path (PathAccess, compiled from Cedar by src/policy) to the
// kernel layers: which host trees are bound and how (read-only, read-write, noexec), what is
// masked or narrowed beneath them, and the Landlock rights of each.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sandbox/spec.hpp"

namespace paddock::sandbox {

// What a run gets when no policy was compiled: the system readable and executable, the
// workspace read-write (read-only on request) and executable. Matches the strict profile.
std::vector<PathAccess> default_access(const std::vector<std::string>& system_dirs, const std::string& workspace,
                                       bool read_only_workspace);

// The entry for exactly `path`, or nullptr.
const PathAccess* find_access(const std::vector<PathAccess>& access, std::string_view path);

// Landlock bits (spec.hpp's access::) for an entry.
std::uint8_t landlock_bits(const PathAccess& entry);

// Applies the entries the layout did not place itself (`placed`): beneath a host tree, an
// entry that allows less becomes a mask or a narrowing bind, one that allows more (writing
// under a read-only tree) a bind of the host path; elsewhere (outside every mount, or in a
// fresh tmpfs such as $HOME) a readable host path is bound. Each entry also becomes a Landlock
// rule.
void apply_access(Spec& spec, const std::vector<PathAccess>& access, const std::set<std::string>& placed);

}  // namespace paddock::sandbox
