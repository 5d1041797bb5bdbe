#include "sandbox/mounts.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/unique_fd.hpp"

namespace fs = std::filesystem;

namespace paddock::sandbox::mounts {
namespace {

// Where the new root is assembled. Any existing directory would do: by the time the tmpfs
// covers it, every host source is already pinned.
constexpr const char* kStaging = "/tmp";
constexpr const char* kEmptyFile = "/tmp/.paddock-empty";

void set_attributes(int dirfd, const char* path, unsigned int at_flags, std::uint64_t attributes) {
  struct mount_attr attr {};
  attr.attr_set = attributes;
  if (::mount_setattr(dirfd, path, at_flags, &attr, sizeof attr) != 0)
    throw SysError(fmt::format("mount_setattr {}", path[0] != '\0' ? path : "(pinned tree)"));
}

std::uint64_t attributes_of(const Mount& m) {
  std::uint64_t attributes = MOUNT_ATTR_NOSUID;
  if (m.read_only) attributes |= MOUNT_ATTR_RDONLY;
  if (!m.dev) attributes |= MOUNT_ATTR_NODEV;
  if (m.noexec) attributes |= MOUNT_ATTR_NOEXEC;
  return attributes;
}

// A detached copy of a host tree, with the plan's mount attributes already applied; for a
// file, the host file its content starts with (Mount::base), opened read-only.
struct Pinned {
  UniqueFd tree;
  bool directory = true;
};

std::optional<Pinned> pin(const Mount& m) {
  int fd = ::open_tree(AT_FDCWD, m.source.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
  if (fd < 0) {
    if (errno == ENOENT && m.optional) return std::nullopt;
    throw SysError("bind " + m.source);
  }
  Pinned pinned{UniqueFd(fd), true};
  set_attributes(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, attributes_of(m));
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw SysError("stat " + m.source);
  pinned.directory = S_ISDIR(st.st_mode);
  return pinned;
}

// Opened before the staging tmpfs covers /tmp, where a --rootfs may live. An optional file
// whose base is gone is skipped, like one whose target is.
std::optional<Pinned> open_base(const Mount& m) {
  UniqueFd fd(::open(m.base.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT && m.optional) return std::nullopt;
    throw SysError("open " + m.base + ", the start of " + m.target);
  }
  return Pinned{std::move(fd), false};
}

// The root tmpfs holds the placed files: room for them (their bases may be large trust
// bundles) besides the mountpoints' 1 MiB.
std::uint64_t root_size(const std::vector<Mount>& mounts, const std::vector<std::optional<Pinned>>& pinned) {
  std::uint64_t size = 1 << 20;
  for (std::size_t i = 0; i < mounts.size(); ++i) {
    if (mounts[i].kind != Mount::Kind::file) continue;
    size += mounts[i].source.size() + 1;
    struct stat st {};
    if (pinned[i] && !pinned[i]->directory && ::fstat(pinned[i]->tree.get(), &st) == 0)
      size += static_cast<std::uint64_t>(st.st_size);
  }
  return size;
}

class RootBuilder {
 public:
  RootBuilder(const std::function<void(const std::string&)>& after_proc, std::uint64_t size) : after_proc_(after_proc) {
    if (::mount("paddock", kStaging, "tmpfs", MS_NOSUID | MS_NODEV, fmt::format("mode=0755,size={}", size).c_str()) !=
        0)
      throw SysError("mount the sandbox root tmpfs");
    remember_own(kStaging);
  }

  void apply(const Mount& m, std::optional<Pinned>& pinned) {
    const std::string path = std::string(kStaging) + m.target;
    switch (m.kind) {
      case Mount::Kind::bind:
        if (!pinned) return;
        ensure(path, pinned->directory);
        if (::move_mount(pinned->tree.get(), "", AT_FDCWD, path.c_str(), MOVE_MOUNT_F_EMPTY_PATH) != 0)
          throw SysError("bind " + m.source + " at " + m.target);
        return;
      case Mount::Kind::tmpfs: {
        ensure(path, true);
        std::string options = fmt::format("mode={:o}", m.mode);
        if (m.size_bytes != 0) options += fmt::format(",size={}", m.size_bytes);
        unsigned long flags = MS_NOSUID | MS_NODEV | (m.noexec ? MS_NOEXEC : 0);
        if (::mount("tmpfs", path.c_str(), "tmpfs", flags, options.c_str()) != 0)
          throw SysError("mount tmpfs at " + m.target);
        remember_own(path);
        if (m.read_only) seal_.push_back(path);
        return;
      }
      case Mount::Kind::directory:
        ensure(path, true);
        if (::chmod(path.c_str(), m.mode) != 0) throw SysError("chmod " + m.target);
        return;
      case Mount::Kind::symlink:
        ensure_parent(path);
        if (::symlink(m.source.c_str(), path.c_str()) != 0) throw SysError("symlink " + m.target);
        return;
      case Mount::Kind::proc:
        ensure(path, true);
        if (::mount("proc", path.c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
          throw SysError("mount proc at " + m.target +
                         " (inside a container whose /proc is partly hidden this needs --privileged-style access)");
        if (after_proc_) after_proc_(path);
        return;
      case Mount::Kind::devpts:
        ensure(path, true);
        if (::mount("devpts", path.c_str(), "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620") !=
            0)
          throw SysError("mount devpts at " + m.target);
        return;
      case Mount::Kind::mask:
        mask(m, path);
        return;
      case Mount::Kind::restrict:
        narrow(m, path);
        return;
      case Mount::Kind::file:
        place_file(m, path, pinned);
        return;
      case Mount::Kind::overlay:
        overlay(m, path);
        return;
    }
  }

  // Seals the tmpfs mounts meant to be read-only, then swaps the root.
  void finish() {
    ::unlink(kEmptyFile);
    for (const auto& [content, scratch] : scratch_files_)
      if (::unlink(scratch.c_str()) != 0) throw SysError("unlink " + scratch);
    for (const auto& path : seal_) set_attributes(AT_FDCWD, path.c_str(), 0, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID);
    set_attributes(AT_FDCWD, kStaging, 0, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
    if (::chdir(kStaging) != 0) throw SysError("chdir to the new root");
    // pivot_root(".", ".") stacks the old root on top of the new one; detaching it leaves the new.
    if (::syscall(SYS_pivot_root, ".", ".") != 0) throw SysError("pivot_root");
    if (::umount2(".", MNT_DETACH) != 0) throw SysError("detach the host's root");
    if (::chdir("/") != 0) throw SysError("chdir /");
  }

 private:
  void remember_own(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw SysError("stat " + path);
    own_devices_.insert(st.st_dev);
  }

  // Creates `path` (a directory or an empty file) and missing parents, but only inside a tmpfs
  // paddock mounted itself: a mountpoint must never be created on the host through a bind.
  void ensure(const std::string& path, bool directory) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) return;
    ensure_parent(path);
    check_own(fs::path(path).parent_path(), path);
    if (directory) {
      if (::mkdir(path.c_str(), 0755) != 0) throw SysError("create mountpoint " + inside(path));
    } else if (!UniqueFd(::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0444))) {
      throw SysError("create mountpoint " + inside(path));
    }
  }

  void ensure_parent(const std::string& path) { ensure(fs::path(path).parent_path().string(), true); }

  // Whether `dir` exists and lies in a tmpfs paddock mounted (where it may create things).
  bool is_own(const fs::path& dir) const {
    struct stat st {};
    return ::stat(dir.c_str(), &st) == 0 && own_devices_.contains(st.st_dev);
  }

  void check_own(const fs::path& parent, const std::string& path) const {
    struct stat st {};
    if (::stat(parent.c_str(), &st) != 0) throw SysError("stat " + inside(parent.string()));
    if (!own_devices_.contains(st.st_dev))
      throw Error(inside(path) + " does not exist inside the sandbox, and its parent " + inside(parent.string()) +
                  " comes from the host, where paddock creates nothing; pick a target that exists");
  }

  static std::string inside(const std::string& staged) {
    std::string p = staged.substr(std::string(kStaging).size());
    return p.empty() ? "/" : p;
  }

  void mask(const Mount& m, const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
      if (errno == ENOENT && m.optional) return;
      throw SysError("mask " + m.target);
    }
    if (S_ISDIR(st.st_mode)) {
      if (::mount("tmpfs", path.c_str(), "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0555,size=4k") !=
          0)
        throw SysError("mask " + m.target);
      return;
    }
    struct stat empty {};
    if (::lstat(kEmptyFile, &empty) != 0) {
      UniqueFd fd(::open(kEmptyFile, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0444));
      if (!fd) throw SysError("create the empty file for masks");
    }
    if (::mount(kEmptyFile, path.c_str(), nullptr, MS_BIND, nullptr) != 0) throw SysError("mask " + m.target);
    set_attributes(AT_FDCWD, path.c_str(), 0,
                   MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
  }

  // Writes the content to a scratch file in the root tmpfs and binds it over the target
  // read-only; finish() unlinks the scratch names (the mounts keep the files alive; the kernel
  // binds no unlinked file, so they stay until then). A file with the same base and content as
  // one placed before binds that one's: the system bundle and /run/paddock's full bundle are one
  // copy. A target that is a symlink (a distribution's /etc/resolv.conf) is replaced where it
  // points, if that is paddock's own.
  void place_file(const Mount& m, const std::string& path, const std::optional<Pinned>& base) {
    if (!m.base.empty() && !base) return;  // optional, and its base is gone (open_base)
    std::string target = path;
    char link[PATH_MAX];
    ssize_t n = ::readlink(path.c_str(), link, sizeof link - 1);
    if (n > 0) {
      link[n] = '\0';
      fs::path resolved =
          link[0] == '/' ? fs::path(kStaging) / fs::path(link).relative_path() : fs::path(path).parent_path() / link;
      target = resolved.lexically_normal().string();
    }
    struct stat st {};
    if (m.optional && ::lstat(target.c_str(), &st) != 0 && !is_own(fs::path(target).parent_path())) return;
    ensure(target, false);
    const std::string scratch = fmt::format("{}/.paddock-file-{}", kStaging, scratch_files_.size());
    auto [placed, first] = scratch_files_.try_emplace({m.base, m.source}, scratch);
    if (first) {
      UniqueFd fd(::open(scratch.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0444));
      if (!fd) throw SysError("create the content of " + m.target);
      if (base && copy_base(m, base->tree.get(), fd.get())) write_all(fd.get(), "\n", "the content of " + m.target);
      write_all(fd.get(), m.source, "the content of " + m.target);
    }
    if (::mount(placed->second.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0)
      throw SysError("place " + m.target);
    set_attributes(AT_FDCWD, target.c_str(), 0,
                   MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
  }

  // Copies the base of `m` (open as `in`) into `fd` in the kernel; true when it does not end in
  // a newline.
  static bool copy_base(const Mount& m, int in, int fd) {
    off_t copied = 0;
    for (;;) {
      const ssize_t n = ::sendfile(fd, in, nullptr, 1 << 20);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw SysError("copy " + m.base + " into the sandbox's " + m.target);
      if (n == 0) break;
      copied += n;
    }
    char last = '\n';
    if (copied > 0 && ::pread(in, &last, 1, copied - 1) != 1) throw SysError("read " + m.base);
    return last != '\n';
  }

  // An overlay whose lower layer is what `path` shows now and whose upper layer lives in a tmpfs
  // of its own, detached once the overlay holds it: the writes vanish with the sandbox.
  void overlay(const Mount& m, const std::string& path) {
    const std::string layer = std::string(kStaging) + "/.paddock-layer";
    ensure(layer, true);
    if (::mount("tmpfs", layer.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0)
      throw SysError("mount the throw-away layer of " + m.target);
    for (const char* dir : {"/upper", "/work"})
      if (::mkdir((layer + dir).c_str(), 0755) != 0) throw SysError("create the throw-away layer of " + m.target);
    // userxattr: overlayfs keeps its metadata in user.* xattrs, which a user namespace may set.
    const std::string options = "lowerdir=" + path + ",upperdir=" + layer + "/upper,workdir=" + layer + "/work" +
                                (::geteuid() == 0 && !in_user_namespace() ? "" : ",userxattr");
    if (::mount("overlay", path.c_str(), "overlay", MS_NOSUID | MS_NODEV, options.c_str()) != 0)
      throw SysError("mount the throw-away layer over " + m.target);
    if (::umount2(layer.c_str(), MNT_DETACH) != 0 || ::rmdir(layer.c_str()) != 0)
      throw SysError("detach the throw-away layer's tmpfs");
  }

  static bool in_user_namespace() {
    std::FILE* f = std::fopen("/proc/self/uid_map", "r");
    if (f == nullptr) return false;
    unsigned inside = 0, outside = 0, count = 0;
    bool identity = std::fscanf(f, "%u %u %u", &inside, &outside, &count) == 3 && inside == 0 && outside == 0 &&
                    count == 4294967295U;
    std::fclose(f);
    return !identity;
  }

  // Binds an entry of the view onto itself with narrower attributes. Symlinks are not
  // followed: a protected path that is a symlink is pinned as the link itself.
  static void narrow(const Mount& m, const std::string& path) {
    int fd =
        ::open_tree(AT_FDCWD, path.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_SYMLINK_NOFOLLOW);
    if (fd < 0) {
      if (errno == ENOENT && m.optional) return;
      throw SysError("restrict " + m.target);
    }
    UniqueFd tree(fd);
    set_attributes(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, attributes_of(m));
    if (::move_mount(fd, "", AT_FDCWD, path.c_str(), MOVE_MOUNT_F_EMPTY_PATH) != 0)
      throw SysError("restrict " + m.target);
  }

  std::function<void(const std::string&)> after_proc_;
  std::set<dev_t> own_devices_;
  std::vector<std::string> seal_;
  std::map<std::pair<std::string, std::string>, std::string> scratch_files_;  // (base, content) -> file
};

}  // namespace

void build_root(const std::vector<Mount>& mounts, const BuildHooks& hooks) {
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    throw SysError("make the mount namespace private");

  std::vector<std::optional<Pinned>> pinned(mounts.size());
  for (std::size_t i = 0; i < mounts.size(); ++i) {
    if (mounts[i].kind == Mount::Kind::bind) pinned[i] = pin(mounts[i]);
    if (mounts[i].kind == Mount::Kind::file && !mounts[i].base.empty()) pinned[i] = open_base(mounts[i]);
  }

  RootBuilder root(hooks.after_proc, root_size(mounts, pinned));
  bool host_ready = false;
  for (std::size_t i = 0; i < mounts.size(); ++i) {
    if (mounts[i].needs_host && !host_ready) {
      if (hooks.await_host) hooks.await_host();
      host_ready = true;
    }
    root.apply(mounts[i], pinned[i]);
  }
  if (!host_ready && hooks.await_host) hooks.await_host();
  root.finish();
}

}  // namespace paddock::sandbox::mounts
