// How the rest of paddock takes part in a run without reaching into the runtime: the supervisor
// calls these hooks at each stage. The audit trail, the egress proxy and the control socket
// attach here (wired in src/cli/run.cpp).
#pragma once

#include <sys/types.h>

#include <boost/asio/io_context.hpp>

#include "common/unique_fd.hpp"
#include "sandbox/exec_monitor.hpp"
#include "sandbox/file_monitor.hpp"

namespace paddock::sandbox {

class Observer {
 public:
  virtual ~Observer() = default;
  // The sandbox exists (its init's pid on the host) and is set up; the command starts next.
  virtual void sandbox_started(pid_t /*init_pid*/) {}
  // The sockets the sandbox's init made inside its network namespace (Spec::egress).
  virtual void egress_sockets(UniqueFd /*proxy_listener*/, UniqueFd /*dns_socket*/) {}
  // The listening socket of the MCP decisions the sandbox's init made (Spec::mcp_port).
  virtual void mcp_socket(UniqueFd /*listener*/) {}
  // The supervisor's event loop (the one passed to run()) is about to run; it runs until the
  // sandbox exits. Servers and timers attached to it must be destroyed before it is.
  virtual void event_loop(boost::asio::io_context& /*io*/) {}
  // The command is running (its execve succeeded).
  virtual void command_started() {}
  // An execve inside the sandbox, when Spec::observe_exec is set; it waits for the answer.
  // Return false to fail it with EACCES (best effort for argv rules: see exec_monitor.hpp).
  virtual bool exec_requested(const ExecEvent& /*event*/) { return true; }
  // A file inside an observed mount was closed (Spec::observed_mounts); the sandbox goes on.
  virtual void file_closed(const FileEvent& /*event*/) {}
  // The kernel's queue of file events overflowed: some closes are not reported.
  virtual void file_events_lost() {}
  // The command's exit status (128+N for signal N).
  virtual void sandbox_exited(int /*exit_status*/) {}
};

}  // namespace paddock::sandbox
