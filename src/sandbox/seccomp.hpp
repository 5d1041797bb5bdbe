// System-call filters (DESIGN.md, "Hardening"). The rules live in seccomp_policy.cpp, which runs
// at build time and produces the BPF programs embedded here; installing one is one system call.
// The hardening filter kills foreign-architecture and x32 calls and returns an errno for
// everything it denies; the exec filter hands every execve to the supervisor (exec_monitor.hpp).
#pragma once

#include <linux/filter.h>

#include <span>

#include "common/unique_fd.hpp"

namespace paddock::sandbox::seccomp {

std::span<const sock_filter> filter_program();
std::span<const sock_filter> exec_notify_program();

// Both run in the sandbox child after no_new_privs; filters are inherited by everything it runs.
void install_filter();
// Returns the listener on which the supervisor receives the exec notifications.
UniqueFd install_exec_notify();

}  // namespace paddock::sandbox::seccomp
