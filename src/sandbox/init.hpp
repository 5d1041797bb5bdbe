// The sandbox's pid 1: starts the command, forwards the signals it receives to it, reaps every
// orphan, and exits with the command's status (128+N when a signal N killed it). When it exits
// the kernel kills whatever is left in the pid namespace.
#pragma once

#include "common/unique_fd.hpp"
#include "sandbox/channel.hpp"
#include "sandbox/spec.hpp"

namespace paddock::sandbox::init {

// Status init exits with when the command could not be started.
inline constexpr int kExitNotFound = 127;
inline constexpr int kExitCannotRun = 126;

[[noreturn]] void run(const Spec& spec, const Channel& channel, UniqueFd tty);

}  // namespace paddock::sandbox::init
