// The plan the runtime executes: everything a sandbox needs, decided on the host before clone().
// The CLI and configuration produce it (layout.cpp); nothing in the runtime consults the CLI.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <termios.h>

namespace paddock::sandbox {

// One entry of the mount tree, applied in order. Targets are absolute paths inside the sandbox.
struct Mount {
  enum class Kind {
    bind,       // bind `source` from the host (a pinned, detached copy of it) at `target`
    tmpfs,      // a fresh tmpfs of `size_bytes`
    symlink,    // a symlink at `target` pointing to `source`
    proc,       // a fresh procfs for the sandbox's pid namespace
    devpts,     // a fresh devpts instance, with /dev/ptmx pointing into it
    mask,       // hide `target` (an existing file or directory) behind an empty read-only node
    restrict,   // bind `target`, already in the sandbox's view, onto itself with narrower
                // attributes: read-only and/or noexec (Mount::read_only, Mount::noexec)
    directory,  // an empty directory of `mode` (inside a tmpfs of the layout)
    file,       // a read-only file whose content is `base` (a host file, if any) then
                // `source`, covering `target`
    overlay,    // writes to `target` (already in the view) go to a fresh tmpfs layer, kept
                // nowhere: the view below stays untouched
  };
  Kind kind = Kind::bind;
  std::string source;
  std::string target;
  std::string base;  // file only: the host file whose bytes come first
  bool read_only = true;
  bool noexec = false;
  bool dev = false;              // allow device nodes (only for the /dev/null-style binds)
  bool optional = false;         // skip silently when the source (a file: the target) cannot be had
  bool needs_host = false;       // its target is a placeholder the supervisor makes meanwhile
  std::uint64_t size_bytes = 0;  // tmpfs only; 0 means the kernel default
  std::uint32_t mode = 0755;     // tmpfs only
};

// A protected path that does not exist yet: the supervisor creates an empty placeholder on the
// host (so there is something to mount over) and removes it after the run.
struct Placeholder {
  std::string host_path;
  bool directory = false;
};

// Access bits of an FsRule.
namespace access {
inline constexpr std::uint8_t read = 1;   // read files, list directories
inline constexpr std::uint8_t write = 2;  // create, change, remove
inline constexpr std::uint8_t execute = 4;
inline constexpr std::uint8_t list = 8;  // list directories only
}  // namespace access

// A Landlock rule: `path` (inside the sandbox, after pivot_root) and everything beneath it.
struct FsRule {
  std::string path;
  std::uint8_t access = 0;  // access:: bits
};

// What the policy lets the sandbox do at and beneath a path inside it (compiled from Cedar by
// src/policy): the mount plan and the Landlock rules follow from a list of these.
struct PathAccess {
  std::string path;
  bool read = false;
  bool write = false;
  bool execute = false;
};

struct Limits {
  std::optional<std::uint64_t> memory_bytes;
  std::optional<std::uint64_t> pids;
  std::optional<double> cpus;
};

// The command runs on a PTY when stdin is a terminal; each of stdout and stderr joins it only
// when that stream is a terminal on the host too, so redirections stay byte-exact.
struct Terminal {
  termios mode{};
  unsigned short rows = 24;
  unsigned short cols = 80;
  bool stdout_is_tty = true;
  bool stderr_is_tty = true;
};

// The sandbox's only way out: the init creates these sockets inside the sandbox's network
// namespace and hands them to the supervisor, whose proxy serves them (DESIGN.md, "Network").
struct Egress {
  std::uint16_t proxy_port = 3128;  // TCP, 127.0.0.1: HTTP proxy, CONNECT and SOCKS5
  std::uint16_t dns_port = 53;      // UDP, 127.0.0.1: the DNS stub
};

struct Spec {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH inside the sandbox
  std::vector<std::string> env;   // the complete environment, "K=V"
  std::string cwd;                // inside the sandbox
  std::string hostname = "paddock";
  std::vector<Mount> mounts;
  std::vector<Placeholder> placeholders;
  std::vector<FsRule> fs_rules;
  Limits limits;
  bool user_namespace = true;        // false when the supervisor runs as root
  std::optional<Terminal> terminal;  // set when the command gets a PTY
  std::optional<Egress> egress;      // unset: no way out at all
  // TCP, 127.0.0.1: the MCP interposers' decision socket (src/mcp), served by the supervisor.
  std::optional<std::uint16_t> mcp_port;
  bool observe_exec = false;  // every execve is reported to the supervisor and waits for it
  // Mount points whose files are observed (fanotify, root only): each close is reported to the
  // supervisor, which does not hold the sandbox up. Empty: no file observation.
  std::vector<std::string> observed_mounts;
  std::string workspace;  // for messages only
};

}  // namespace paddock::sandbox
