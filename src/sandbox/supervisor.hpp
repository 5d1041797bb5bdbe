// The supervisor: the host-side process of one `paddock run`. It creates the sandbox
// (clone with every namespace), performs the parent's half of the set-up (id maps, cgroups),
// relays the terminal, forwards signals, and returns the command's exit status. Everything it
// creates on the host is removed when it returns, and by the watchdog if it dies first.
#pragma once

#include "sandbox/observer.hpp"
#include "sandbox/spec.hpp"

namespace paddock::sandbox {

// Runs spec.argv in a new sandbox; returns its exit status (128+N for a signal). Throws Error
// when the sandbox cannot be made or the command cannot be started (exit status 126 or 127).
// The event loop is the caller's, so that whatever the observer attached to it (sockets,
// timers) is destroyed before the loop itself.
int run(const Spec& spec, boost::asio::io_context& io, Observer& observer);

}  // namespace paddock::sandbox
