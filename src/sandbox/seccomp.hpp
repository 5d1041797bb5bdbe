// System-call filter (DESIGN.md, "Hardening"). The rules live in seccomp_policy.cpp, which runs
// at build time and produces the BPF program embedded here; installing it is one system call.
// Foreign architectures and x32 system calls kill the process; everything listed returns an errno.
#pragma once

#include <linux/filter.h>

#include <span>

namespace paddock::sandbox::seccomp {

// The embedded filter program.
std::span<const sock_filter> program();
// Runs in the sandbox child after no_new_privs; the filter is inherited by everything it runs.
void install();

}  // namespace paddock::sandbox::seccomp
