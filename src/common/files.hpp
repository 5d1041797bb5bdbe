// Paddock's own files outside any sandbox: where they live (XDG base directories) and writing
// them so that a crash never leaves a half-written one (a temporary file, fsync, rename).
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

namespace paddock {

// $XDG_DATA_HOME/paddock, else $HOME/.local/share/paddock (the CA, the secrets, the keys).
std::string data_directory();

// $XDG_STATE_HOME/paddock, else $HOME/.local/state/paddock (the runs and their audit trails).
std::string state_directory();

// mkdir -p; the last component gets `mode` (and is chmod'ed to it when it existed already).
void make_directories(const std::string& path, mode_t mode);

// Writes `content` to `path` atomically with `mode`: a reader sees the old file or the new one.
void write_file_atomically(const std::string& path, const std::string& content, mode_t mode);

// Writes `content` (synced, with `mode`) to a new file of a unique name beside `path`, to be
// renamed or linked into place, and returns its name.
std::string write_file_beside(const std::string& path, const std::string& content, mode_t mode);

// Writes all of `data` to `fd`, through short writes and EINTR; throws SysError("write " + what).
void write_all(int fd, std::string_view data, const std::string& what);

// The whole file; throws SysError naming the path.
std::string read_file(const std::string& path);

// This program's own path (/proc/self/exe, which the kernel keeps resolved).
std::string self_executable();

}  // namespace paddock
