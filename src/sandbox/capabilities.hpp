// Privileges: no_new_privs, every capability dropped from every set (bounding, ambient,
// inheritable, permitted, effective), and securebits locked so uid 0 cannot regain any by exec.
#pragma once

namespace paddock::sandbox::capabilities {

// Step one, while CAP_SETPCAP is still held: no_new_privs, bounding set, ambient set, securebits.
void drop_bounding_and_lock();
// Step two, last use of privilege: clears the remaining sets of the calling thread.
void drop_all();

}  // namespace paddock::sandbox::capabilities
