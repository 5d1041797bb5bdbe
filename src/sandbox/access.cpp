#include "sandbox/access.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace paddock::sandbox {
namespace {

bool is_at_or_within(std::string_view path, std::string_view dir) {
  if (dir == "/") return true;
  return path.substr(0, dir.size()) == dir && (path.size() == dir.size() || path[dir.size()] == '/');
}

// The deepest bind or tmpfs of the plan that contains `path` (what the path shows inside).
const Mount* covering_mount(const Spec& spec, const std::string& path) {
  const Mount* best = nullptr;
  for (const auto& m : spec.mounts) {
    if (m.kind != Mount::Kind::bind && m.kind != Mount::Kind::tmpfs) continue;
    if (!is_at_or_within(path, m.target)) continue;
    if (best == nullptr || m.target.size() >= best->target.size()) best = &m;
  }
  return best;
}

bool host_exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

Mount narrowing(const std::string& path, bool read_only, bool noexec) {
  Mount m;
  m.kind = Mount::Kind::restrict;
  m.target = path;
  m.read_only = read_only;
  m.noexec = noexec;
  m.optional = true;
  return m;
}

}  // namespace

std::vector<PathAccess> default_access(const std::vector<std::string>& system_dirs, const std::string& workspace,
                                       bool read_only_workspace) {
  std::vector<PathAccess> out;
  for (const auto& dir : system_dirs) out.push_back({dir, true, false, true});
  out.push_back({workspace, true, !read_only_workspace, true});
  return out;
}

const PathAccess* find_access(const std::vector<PathAccess>& access, std::string_view path) {
  auto it = std::find_if(access.begin(), access.end(), [&](const PathAccess& a) { return a.path == path; });
  return it == access.end() ? nullptr : &*it;
}

std::uint8_t landlock_bits(const PathAccess& entry) {
  std::uint8_t bits = 0;
  if (entry.read) bits |= access::read;
  if (entry.write) bits |= access::write;
  if (entry.execute) bits |= access::execute;
  return bits;
}

void apply_access(Spec& spec, const std::vector<PathAccess>& access, const std::set<std::string>& placed) {
  std::vector<const PathAccess*> entries;
  for (const auto& entry : access)
    if (!placed.contains(entry.path)) entries.push_back(&entry);
  // Parents before children, so a child narrows or widens what its parent's mount gives.
  std::stable_sort(entries.begin(), entries.end(), [](const PathAccess* a, const PathAccess* b) {
    return std::count(a->path.begin(), a->path.end(), '/') < std::count(b->path.begin(), b->path.end(), '/');
  });

  for (const PathAccess* entry : entries) {
    const std::string& path = entry->path;
    if (path == "/") {
      // The root is always the layout's own: a grant there widens Landlock over what the layout
      // shows, but never binds the host's whole root.
      if (std::uint8_t bits = landlock_bits(*entry); bits != 0) spec.fs_rules.push_back({path, bits});
      continue;
    }
    const Mount* cover = covering_mount(spec, path);
    if (cover == nullptr || cover->kind == Mount::Kind::tmpfs) {
      // Outside every host tree (or in a fresh tmpfs such as $HOME): nothing of the host is
      // there unless the policy lets the sandbox read it.
      if (!entry->read || !host_exists(path)) continue;
      Mount m;
      m.kind = Mount::Kind::bind;
      m.source = path;
      m.target = path;
      m.read_only = !entry->write;
      m.noexec = !entry->execute;
      spec.mounts.push_back(m);
    } else if (!entry->read) {
      Mount m = narrowing(path, true, true);
      m.kind = Mount::Kind::mask;
      spec.mounts.push_back(m);
      continue;  // nothing to grant beneath a mask
    } else {
      const bool cover_writes = !cover->read_only, cover_executes = !cover->noexec;
      if ((cover_writes && !entry->write) || (cover_executes && !entry->execute)) {
        spec.mounts.push_back(narrowing(path, !entry->write, !entry->execute));
      } else if (entry->write && !cover_writes && cover->kind == Mount::Kind::bind && host_exists(path)) {
        Mount m;
        m.kind = Mount::Kind::bind;
        m.source = path;
        m.target = path;
        m.read_only = false;
        m.noexec = !entry->execute;
        spec.mounts.push_back(m);
      }
    }
    if (std::uint8_t bits = landlock_bits(*entry); bits != 0) spec.fs_rules.push_back({path, bits});
  }
}

}  // namespace paddock::sandbox
