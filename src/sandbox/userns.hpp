// User namespace: an unprivileged supervisor maps only its own uid and gid into the sandbox,
// so files keep their owner and nothing else of the host's identities exists inside.
#pragma once

#include <sys/types.h>

namespace paddock::sandbox::userns {

// Runs in the supervisor once the child exists (a process may not write its own maps).
void write_id_maps(pid_t child, uid_t uid, gid_t gid);

}  // namespace paddock::sandbox::userns
