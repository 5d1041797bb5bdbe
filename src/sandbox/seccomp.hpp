// System-call filter (DESIGN.md, "Hardening"). Built once in the supervisor with libseccomp and
// installed as raw BPF in the child, so the child does no parsing after clone(). Foreign
// architectures and x32 system calls kill the process; everything listed returns an errno.
#pragma once

#include <linux/filter.h>

#include <vector>

namespace paddock::sandbox::seccomp {

struct Program {
  std::vector<sock_filter> instructions;
};

Program build();
// Runs in the sandbox child after no_new_privs; the filter is inherited by everything it runs.
void install(const Program& program);

}  // namespace paddock::sandbox::seccomp
