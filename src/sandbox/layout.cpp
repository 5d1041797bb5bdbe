#include "sandbox/layout.hpp"

#include <pwd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include "common/error.hpp"
#include "sandbox/access.hpp"
#include "sandbox/environment.hpp"
#include "sandbox/workspace.hpp"

extern char** environ;

namespace fs = std::filesystem;

namespace paddock::sandbox {
namespace {

constexpr std::uint64_t kMiB = 1024ULL * 1024;
constexpr std::uint64_t kGiB = 1024 * kMiB;
constexpr std::uint8_t kReadExecute = access::read | access::execute;
constexpr std::uint8_t kReadWrite = access::read | access::write;
constexpr std::uint8_t kReadWriteExecute = access::read | access::write | access::execute;

// The host directories that make up the default root filesystem (read-only).
constexpr const char* kSystemDirs[] = {"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "opt"};
// Top-level directories that are always fresh (never taken from the host or a --rootfs).
constexpr const char* kFreshDirs[] = {"dev", "proc", "sys", "tmp", "run", "var", "home", "root", "mnt", "media"};

// Secrets of the system itself, hidden even though /etc is visible.
constexpr const char* kEtcSecrets[] = {
    "/etc/shadow",
    "/etc/shadow-",
    "/etc/gshadow",
    "/etc/gshadow-",
    "/etc/security/opasswd",
    "/etc/sudoers",
    "/etc/sudoers.d",
    "/etc/ssl/private",
    "/etc/ssh/ssh_host_rsa_key",
    "/etc/ssh/ssh_host_ecdsa_key",
    "/etc/ssh/ssh_host_ed25519_key",
    "/etc/ssh/ssh_host_dsa_key",
    "/etc/krb5.keytab",
    "/etc/ipsec.secrets",
    "/etc/ppp/chap-secrets",
    "/etc/ppp/pap-secrets",
    "/etc/wireguard",
    "/etc/NetworkManager/system-connections",
    "/etc/docker",
    "/etc/containers/auth.json",
    "/etc/libvirt/secrets",
};

// Kernel interfaces of a fresh procfs that reveal or change the host (masked or read-only).
constexpr const char* kProcMasked[] = {"/proc/kcore",         "/proc/kallsyms",    "/proc/keys", "/proc/key-users",
                                       "/proc/timer_list",    "/proc/sched_debug", "/proc/acpi", "/proc/scsi",
                                       "/proc/latency_stats", "/proc/vmallocinfo"};
constexpr const char* kProcReadOnly[] = {"/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs"};
// The little of /sys that ordinary programs read (CPU topology for nproc, runtimes' thread pools).
constexpr const char* kSysVisible[] = {"/sys/devices/system/cpu", "/sys/devices/system/node"};
constexpr const char* kDevices[] = {"null", "zero", "full", "random", "urandom", "tty"};

bool is_within(const fs::path& path, const fs::path& dir) {
  auto rel = path.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}

std::string top_component(const std::string& path) {
  auto p = fs::path(path).relative_path();
  return p.empty() ? std::string() : p.begin()->string();
}

Mount bind(std::string source, std::string target, bool read_only) {
  Mount m;
  m.kind = Mount::Kind::bind;
  m.source = std::move(source);
  m.target = std::move(target);
  m.read_only = read_only;
  return m;
}

Mount tmpfs(std::string target, std::uint64_t size, std::uint32_t mode, bool read_only, bool noexec = false) {
  Mount m;
  m.kind = Mount::Kind::tmpfs;
  m.target = std::move(target);
  m.size_bytes = size;
  m.mode = mode;
  m.read_only = read_only;
  m.noexec = noexec;
  return m;
}

Mount simple(Mount::Kind kind, std::string target, std::string source = {}) {
  Mount m;
  m.kind = kind;
  m.target = std::move(target);
  m.source = std::move(source);
  return m;
}

std::string canonical_directory(const std::string& path, const std::string& cwd, const std::string& what) {
  fs::path p = fs::path(path).is_absolute() ? fs::path(path) : fs::path(cwd) / path;
  char resolved[PATH_MAX];
  if (::realpath(p.c_str(), resolved) == nullptr)
    throw Error(what + " " + path + ": " + errno_text(errno) + "; pass an existing directory");
  struct stat st {};
  if (::stat(resolved, &st) != 0 || !S_ISDIR(st.st_mode))
    throw Error(what + " " + path + ": not a directory; pass an existing directory");
  return resolved;
}

// The root filesystem: each top-level entry of `root` that belongs in the sandbox, read-only;
// of the host's own system, the directories the policy lets the sandbox read.
void add_root_filesystem(Spec& spec, const std::string& root, bool host_system, const std::vector<PathAccess>& access) {
  std::error_code ec;
  std::vector<std::string> names;
  if (host_system) {
    names.assign(std::begin(kSystemDirs), std::end(kSystemDirs));
  } else {
    for (const auto& entry : fs::directory_iterator(root, ec)) names.push_back(entry.path().filename());
    if (ec) throw Error("--rootfs " + root + ": " + ec.message());
    std::sort(names.begin(), names.end());
  }
  for (const auto& name : names) {
    if (std::find(std::begin(kFreshDirs), std::end(kFreshDirs), name) != std::end(kFreshDirs)) continue;
    fs::path source = fs::path(root) / name;
    auto status = fs::symlink_status(source, ec);
    if (ec || !fs::exists(status)) continue;
    std::string target = "/" + name;
    if (fs::is_symlink(status)) {
      spec.mounts.push_back(simple(Mount::Kind::symlink, target, fs::read_symlink(source, ec).string()));
      continue;
    }
    const PathAccess* entry = host_system ? find_access(access, target) : nullptr;
    if (host_system && (entry == nullptr || !entry->read)) continue;
    Mount m = bind(source, target, true);  // the system is never writable, whatever a policy says
    m.noexec = entry != nullptr && !entry->execute;
    spec.mounts.push_back(m);
    if (fs::is_directory(status))
      spec.fs_rules.push_back({target, entry != nullptr
                                           ? static_cast<std::uint8_t>(landlock_bits(*entry) & ~access::write)
                                           : kReadExecute});
  }
  for (const char* secret : kEtcSecrets) {
    fs::path source = fs::path(root) / fs::path(secret).relative_path();
    if (fs::exists(fs::symlink_status(source, ec)) && !fs::is_symlink(fs::symlink_status(source, ec)))
      spec.mounts.push_back(simple(Mount::Kind::mask, secret));
  }
}

void add_kernel_filesystems(Spec& spec) {
  spec.mounts.push_back(tmpfs("/dev", 64 * 1024, 0755, true, true));
  for (const char* device : kDevices) {
    Mount m = bind(std::string("/dev/") + device, std::string("/dev/") + device, false);
    m.dev = true;
    m.optional = true;
    spec.mounts.push_back(m);
  }
  spec.mounts.push_back(simple(Mount::Kind::devpts, "/dev/pts"));
  spec.mounts.push_back(simple(Mount::Kind::symlink, "/dev/ptmx", "pts/ptmx"));
  spec.mounts.push_back(simple(Mount::Kind::symlink, "/dev/fd", "/proc/self/fd"));
  spec.mounts.push_back(simple(Mount::Kind::symlink, "/dev/stdin", "/proc/self/fd/0"));
  spec.mounts.push_back(simple(Mount::Kind::symlink, "/dev/stdout", "/proc/self/fd/1"));
  spec.mounts.push_back(simple(Mount::Kind::symlink, "/dev/stderr", "/proc/self/fd/2"));
  spec.mounts.push_back(tmpfs("/dev/shm", 256 * kMiB, 01777, false, true));

  spec.mounts.push_back(simple(Mount::Kind::proc, "/proc"));
  for (const char* path : kProcMasked) {
    Mount m = simple(Mount::Kind::mask, path);
    m.optional = true;
    spec.mounts.push_back(m);
  }
  for (const char* path : kProcReadOnly) {
    Mount m = simple(Mount::Kind::restrict, path);
    m.optional = true;
    spec.mounts.push_back(m);
  }

  spec.mounts.push_back(tmpfs("/sys", 64 * 1024, 0755, true, true));
  for (const char* path : kSysVisible) {
    Mount m = bind(path, path, true);
    m.optional = true;
    spec.mounts.push_back(m);
  }

  spec.fs_rules.push_back({"/", access::list});
  spec.fs_rules.push_back({"/dev", kReadWrite});
  spec.fs_rules.push_back({"/proc", kReadWrite});
  spec.fs_rules.push_back({"/sys", access::read});
}

std::uint8_t fresh_bits(const std::vector<PathAccess>& access, const std::string& path, std::uint8_t otherwise);

// Fresh scratch space; the policy may narrow what the sandbox may do there (Landlock).
void add_scratch_filesystems(Spec& spec, const std::vector<PathAccess>& access, std::set<std::string>& placed) {
  spec.mounts.push_back(tmpfs("/tmp", 4 * kGiB, 01777, false));
  spec.mounts.push_back(tmpfs("/run", 64 * kMiB, 0755, false, true));
  Mount lock = simple(Mount::Kind::directory, "/run/lock");
  lock.mode = 01777;
  spec.mounts.push_back(lock);
  spec.mounts.push_back(tmpfs("/var", 1 * kGiB, 0755, false));
  Mount vartmp = simple(Mount::Kind::directory, "/var/tmp");
  vartmp.mode = 01777;
  spec.mounts.push_back(vartmp);
  spec.mounts.push_back(simple(Mount::Kind::symlink, "/var/run", "/run"));
  spec.mounts.push_back(simple(Mount::Kind::symlink, "/var/lock", "/run/lock"));
  for (const char* dir : {"/tmp", "/run", "/var", "/dev/shm"})
    spec.fs_rules.push_back({dir, fresh_bits(access, dir, kReadWriteExecute)});
  // Fresh, all of them: never a place where a host path gets bound in.
  for (const auto& dir : scratch_directories()) placed.insert(dir);
}

std::vector<Mount> extra_mounts(const RunRequest& request, const Host& host) {
  std::vector<Mount> mounts;
  for (const auto& spec : request.mounts) mounts.push_back(parse_mount_spec(spec, host.cwd));
  // Parents before children, whatever order the flags came in.
  std::stable_sort(mounts.begin(), mounts.end(), [](const Mount& a, const Mount& b) {
    return std::distance(fs::path(a.target).begin(), fs::path(a.target).end()) <
           std::distance(fs::path(b.target).begin(), fs::path(b.target).end());
  });
  return mounts;
}

// Whether `dir` exists in the sandbox: inside one of its binds, and present on the host there.
bool visible_inside(const Spec& spec, const std::string& dir, int links = 0) {
  for (const auto& m : spec.mounts) {
    // A top-level symlink of the root filesystem (/bin -> usr/bin on merged-/usr systems).
    if (m.kind == Mount::Kind::symlink && links < 8 && (dir == m.target || is_within(dir, m.target))) {
      fs::path link =
          fs::path(m.source).is_absolute() ? fs::path(m.source) : fs::path(m.target).parent_path() / m.source;
      return visible_inside(spec, (link / fs::path(dir).lexically_relative(m.target)).lexically_normal(), links + 1);
    }
    if (m.kind != Mount::Kind::bind || !(fs::path(dir) == m.target || is_within(dir, m.target))) continue;
    std::error_code ec;
    fs::path host = fs::path(m.source) / fs::path(dir).lexically_relative(m.target);
    return fs::is_directory(host, ec);
  }
  return false;
}

// PATH keeps only directories that exist inside: the host's may name its home (~/.cargo/bin) or
// other places the sandbox does not have, and every such entry costs each command lookup a
// failed exec.
void prune_path(Spec& spec) {
  for (auto& entry : spec.env) {
    if (entry.rfind("PATH=", 0) != 0) continue;
    std::string kept;
    std::stringstream in(entry.substr(5));
    for (std::string dir; std::getline(in, dir, ':');)
      if (!dir.empty() && dir[0] == '/' && visible_inside(spec, dir)) kept += (kept.empty() ? "" : ":") + dir;
    entry = "PATH=" + (kept.empty() ? std::string("/usr/local/bin:/usr/bin:/bin") : kept);
  }
}

// The Landlock bits of a fresh filesystem: the policy's, when it says anything about it.
std::uint8_t fresh_bits(const std::vector<PathAccess>& access, const std::string& path, std::uint8_t otherwise) {
  const PathAccess* entry = find_access(access, path);
  return entry != nullptr ? landlock_bits(*entry) : otherwise;
}

}  // namespace

std::vector<std::string> scratch_directories() {
  return {"/tmp", "/var/tmp", "/run", "/var", "/dev/shm"};
}

std::vector<std::string> system_directories() {
  std::vector<std::string> out;
  struct stat st {};
  for (const char* dir : kSystemDirs)
    if (::lstat((std::string("/") + dir).c_str(), &st) == 0) out.push_back(std::string("/") + dir);
  return out;
}

Mount parse_mount_spec(const std::string& spec, const std::string& cwd) {
  const std::string form = "--mount \"" + spec + "\": ";
  auto first = spec.find(':');
  if (first == std::string::npos || first == 0)
    throw Error(form + "expected SRC:DST[:ro], e.g. --mount ~/datasets:/data:ro");
  std::string source = spec.substr(0, first);
  std::string rest = spec.substr(first + 1);
  bool read_only = false;
  if (auto last = rest.rfind(':'); last != std::string::npos) {
    std::string mode = rest.substr(last + 1);
    if (mode == "ro")
      read_only = true;
    else if (mode != "rw")
      throw Error(form + "unknown mode \"" + mode + "\"; use :ro or :rw (the default)");
    rest = rest.substr(0, last);
  }
  fs::path target = rest;
  if (!target.is_absolute() || target.lexically_normal() != target || target == "/")
    throw Error(form + "DST must be an absolute, normalised path other than /, e.g. /data");
  for (const char* reserved : {"/proc", "/sys", "/dev"})
    if (target == reserved || is_within(target, reserved))
      throw Error(form + "DST may not be inside " + std::string(reserved) + ", which paddock builds itself");
  fs::path src = fs::path(source).is_absolute() ? fs::path(source) : fs::path(cwd) / source;
  std::error_code ec;
  src = fs::canonical(src, ec);
  if (ec) throw Error(form + "source " + source + ": " + ec.message());
  return bind(src.string(), target.string(), read_only);
}

Host Host::current() {
  Host host;
  char buf[PATH_MAX];
  if (::getcwd(buf, sizeof buf) == nullptr) throw SysError("getcwd");
  host.cwd = buf;
  host.uid = ::getuid();
  host.gid = ::getgid();
  // The passwd database only when the environment does not say: a lookup loads NSS modules,
  // which costs a sandbox start a fifth of a millisecond.
  const char* home = std::getenv("HOME");
  const char* user = std::getenv("USER");
  struct passwd* pw = home != nullptr && home[0] == '/' && user != nullptr ? nullptr : ::getpwuid(host.uid);
  host.home = home != nullptr && home[0] == '/' ? home : (pw != nullptr ? pw->pw_dir : "/");
  host.user = user != nullptr ? user : (pw != nullptr ? pw->pw_name : std::to_string(host.uid));
  for (char** e = ::environ; *e != nullptr; ++e) host.environ.emplace_back(*e);
  if (Terminal t; ::isatty(STDIN_FILENO) == 1 && ::tcgetattr(STDIN_FILENO, &t.mode) == 0) {
    struct winsize ws {};
    if (::ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0) {
      t.rows = ws.ws_row;
      t.cols = ws.ws_col;
    }
    t.stdout_is_tty = ::isatty(STDOUT_FILENO) == 1;
    t.stderr_is_tty = ::isatty(STDERR_FILENO) == 1;
    host.terminal = t;
  }
  return host;
}

std::string resolve_workspace(const RunRequest& request, const Host& host) {
  const std::string workspace = request.workspace
                                    ? canonical_directory(*request.workspace, host.cwd, "--workspace")
                                    : canonical_directory(find_workspace_root(host.cwd), host.cwd, "workspace");
  const fs::path home = fs::path(host.home).lexically_normal();
  if (workspace == "/" || fs::path(workspace) == home || is_within(home, workspace))
    throw Error("workspace " + workspace + " contains your home directory " + home.string() +
                ", which paddock keeps hidden; cd into a project or pass --workspace DIR");
  for (const char* dir : kSystemDirs)
    if (top_component(workspace) == dir && !request.rootfs)
      throw Error("workspace " + workspace + " is inside the system directory /" + dir +
                  ", which the sandbox sees read-only; pass --workspace DIR with a project directory");
  return workspace;
}

Spec plan(const RunRequest& request, const Host& host) {
  if (request.command.empty()) throw Error("no command given; usage: paddock run [OPTIONS] -- COMMAND [ARGS...]");

  Spec spec;
  spec.argv = request.command;
  spec.user_namespace = host.uid != 0;
  spec.terminal = host.terminal;
  spec.limits = request.limits;

  const std::string workspace = resolve_workspace(request, host);
  const fs::path home = fs::path(host.home).lexically_normal();
  spec.workspace = workspace;
  const std::vector<PathAccess> access =
      request.access.empty() ? default_access(system_directories(), workspace, request.read_only_workspace)
                             : request.access;
  const PathAccess* workspace_access = find_access(access, workspace);
  if (workspace_access == nullptr || !workspace_access->read)
    throw Error("the policy does not let the sandbox read the workspace " + workspace +
                "; permit FileOpenReadOnly there (resource in Location::\"workspace\")");
  std::set<std::string> placed = {workspace};

  if (request.rootfs) {
    std::string root = canonical_directory(*request.rootfs, host.cwd, "--rootfs");
    if (root == "/") throw Error("--rootfs /: use the default layout instead of the whole host root");
    add_root_filesystem(spec, root, false, access);
  } else {
    add_root_filesystem(spec, "/", true, access);
    for (const auto& dir : system_directories()) placed.insert(dir);
  }
  // The top-level entries the root filesystem provides read-only: nothing can be created there.
  std::set<std::string> read_only_tops;
  for (const auto& m : spec.mounts) read_only_tops.insert(top_component(m.target));
  add_kernel_filesystems(spec);
  add_scratch_filesystems(spec, access, placed);

  // A fresh, empty $HOME at the user's own path (the workspace may lie inside it).
  std::string home_dir;
  if (home != "/" && !read_only_tops.contains(top_component(home.string()))) {
    home_dir = home.string();
    spec.mounts.push_back(tmpfs(home_dir, 8 * kGiB, 0700, false));
    spec.fs_rules.push_back({home_dir, fresh_bits(access, home_dir, kReadWriteExecute)});
    placed.insert(home_dir);
  }

  const bool workspace_writable = workspace_access->write && !request.read_only_workspace && !request.overlay_workspace;
  Mount ws = bind(workspace, workspace, !workspace_writable);
  ws.noexec = !workspace_access->execute;
  spec.mounts.push_back(ws);
  if (request.overlay_workspace && workspace_access->write)
    spec.mounts.push_back(simple(Mount::Kind::overlay, workspace));
  const bool writes_land = workspace_writable || request.overlay_workspace;
  spec.fs_rules.push_back(
      {workspace, static_cast<std::uint8_t>(landlock_bits(*workspace_access) & (writes_land ? 0xff : ~access::write))});

  std::set<std::string> extra_targets;
  for (auto& m : extra_mounts(request, host)) {
    extra_targets.insert(m.target);
    spec.fs_rules.push_back({m.target, m.read_only ? kReadExecute : kReadWriteExecute});
    placed.insert(m.target);
    spec.mounts.push_back(std::move(m));
  }
  apply_access(spec, access, placed);

  if (workspace_writable) {
    for (const auto& p : protected_paths(workspace)) {
      if (!p.exists) spec.placeholders.push_back({p.path, p.directory});
      Mount m = simple(Mount::Kind::restrict, p.path);
      m.needs_host = !p.exists;
      spec.mounts.push_back(m);
    }
  }

  for (const auto& file : request.files) {
    if (!fs::path(file.target).is_absolute())
      throw Error("file " + file.target + ": the target must be an absolute path");
    Mount m = simple(Mount::Kind::file, file.target, file.content);
    m.base = file.base;
    m.optional = file.where_possible;
    spec.mounts.push_back(std::move(m));
  }
  if (!request.self_binary.empty()) {
    spec.mounts.push_back(bind(request.self_binary, kSandboxBinary, true));
    spec.fs_rules.push_back({kSandboxBinary, kReadExecute});
  }
  spec.egress = request.egress;
  spec.mcp_port = request.mcp_port;
  spec.observe_exec = request.observe_exec;
  // Where the sandbox's own work lands: the workspace (its protected paths are mounts of their
  // own), the user's mounts, the fresh writable trees. The read-only system trees are left out:
  // every program start reads them, and nothing there can change.
  if (request.observe_files && !spec.user_namespace) {
    for (const auto& m : spec.mounts) {
      const bool own = m.target == workspace || is_within(m.target, workspace) || extra_targets.contains(m.target);
      const bool fresh = m.kind == Mount::Kind::tmpfs && !m.read_only;
      if (fresh || (own && (m.kind == Mount::Kind::bind || m.kind == Mount::Kind::restrict)))
        spec.observed_mounts.push_back(m.target);
    }
  }

  spec.cwd = is_within(host.cwd, workspace) || host.cwd == workspace ? host.cwd : workspace;
  // The cwd as the user typed it may run through a symlink; inside, only the real path exists.
  if (char resolved[PATH_MAX]; ::realpath(spec.cwd.c_str(), resolved) != nullptr) spec.cwd = resolved;
  if (!is_within(spec.cwd, workspace) && spec.cwd != workspace) spec.cwd = workspace;

  spec.env = sandbox_environment(host.environ, request.env,
                                 {home_dir.empty() ? home.string() : home_dir, host.user, workspace});
  prune_path(spec);
  if (!request.self_binary.empty())
    for (auto& entry : spec.env)
      if (entry.rfind("PATH=", 0) == 0) entry += ":" + fs::path(kSandboxBinary).parent_path().string();
  return spec;
}

}  // namespace paddock::sandbox
