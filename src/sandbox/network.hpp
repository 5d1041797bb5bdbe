// Network namespace: the sandbox gets a fresh one holding only the loopback interface, so the
// only way out is what the supervisor hands in (the egress proxy's socket, a later issue).
#pragma once

namespace paddock::sandbox::network {

// Runs in the sandbox child: brings `lo` up (127.0.0.1 and ::1).
void bring_up_loopback();

}  // namespace paddock::sandbox::network
