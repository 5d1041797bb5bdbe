// The default sandbox layout (DESIGN.md, "Sandbox runtime"): the host's system read-only, the
// workspace read-write at its own path, fresh /tmp, /dev, /proc and $HOME, and nothing else of
// the host. plan() validates every input before anything is created, so bad input never leaves
// half-made state behind.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sandbox/spec.hpp"

namespace paddock::sandbox {

// A file paddock writes into the sandbox (read-only, over whatever the target held).
struct PlacedFile {
  std::string target;  // absolute, inside the sandbox
  std::string content;
  // A host file whose bytes come before `content` (with a newline between when it lacks one),
  // copied by the kernel while the sandbox is built: a 220 KB trust bundle never passes through
  // the supervisor's memory.
  std::string base;
  // Skip it where the target does not exist and cannot be made: paddock creates nothing in a
  // root filesystem it did not build (a --rootfs without /etc/resolv.conf goes without it).
  bool where_possible = false;
};

// Where RunRequest::self_binary appears inside the sandbox.
inline constexpr const char* kSandboxBinary = "/run/paddock/bin/paddock";

// What the user asked for (CLI flags, later merged with configuration files).
struct RunRequest {
  std::vector<std::string> command;      // must not be empty
  std::optional<std::string> workspace;  // default: enclosing git root, else cwd
  bool read_only_workspace = false;
  bool overlay_workspace = false;     // writes go to a throw-away layer (paranoid)
  std::optional<std::string> rootfs;  // a directory holding a root filesystem
  std::vector<std::string> mounts;    // "SRC:DST[:ro]"
  std::vector<std::string> env;       // "K=V", or "K" to pass the host's value
  Limits limits;
  // What the policy allows where (compiled from Cedar); empty: the default, see
  // access.hpp's default_access.
  std::vector<PathAccess> access;
  std::optional<Egress> egress;           // unset: the sandbox has no way out at all
  std::optional<std::uint16_t> mcp_port;  // the MCP decision socket on the sandbox's 127.0.0.1
  // The paddock binary, bound read-only at kSandboxBinary (and its directory put on PATH) so
  // that MCP configurations inside can run `paddock mcp wrap`; empty: not bound.
  std::string self_binary;
  bool observe_exec = false;   // report every exec to the supervisor, which answers it
  bool observe_files = false;  // report the files closed in the workspace and scratch trees (root only)
  // Files placed read-only in the sandbox, e.g. /etc/resolv.conf naming the DNS stub.
  std::vector<PlacedFile> files;
};

// The facts of the host a plan depends on, gathered once (tests substitute their own).
struct Host {
  std::string cwd;
  std::string home;
  std::string user;
  unsigned uid = 0;
  unsigned gid = 0;
  std::vector<std::string> environ;  // "K=V"
  std::optional<Terminal> terminal;  // set when stdin is a terminal
  static Host current();
};

Spec plan(const RunRequest& request, const Host& host);

// The workspace a request names (default: the enclosing git repository, else the cwd), real
// path; throws Error for one that does not exist or would expose $HOME or the system.
std::string resolve_workspace(const RunRequest& request, const Host& host);

// The fresh scratch directories every sandbox gets.
std::vector<std::string> scratch_directories();

// The host directories of the default root filesystem that exist here, as paths inside the sandbox.
std::vector<std::string> system_directories();

// "SRC:DST[:ro]" -> a bind mount; throws Error naming the flag and the expected form.
Mount parse_mount_spec(const std::string& spec, const std::string& cwd);

}  // namespace paddock::sandbox
