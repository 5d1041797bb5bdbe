// The supervisor's event loop while the command runs: signals (forwarded to the sandbox), the
// init's last messages (the command started, or could not), the terminal relay, exec
// notifications, and whatever observers attached to the loop (the egress proxy).
#pragma once

#include <boost/asio/io_context.hpp>

#include <optional>

#include "common/unique_fd.hpp"
#include "sandbox/channel.hpp"
#include "sandbox/file_monitor.hpp"
#include "sandbox/init_process.hpp"
#include "sandbox/observer.hpp"
#include "sandbox/signals.hpp"
#include "sandbox/spec.hpp"

namespace paddock::sandbox {

struct RunningSandbox {
  InitProcess& init;
  const Channel& channel;
  UniqueFd terminal_master;  // set when the command runs on a PTY
  UniqueFd exec_listener;    // set when execs are observed
  FileListener files;        // set when files are observed
  const std::optional<Terminal>& terminal;
};

// Runs until the sandbox's init exits; returns the command's exit status. Throws Error (exit
// status 126 or 127) when the command could not be started.
int supervise(boost::asio::io_context& io, RunningSandbox sandbox, Observer& observer, const BlockedSignals& blocked);

}  // namespace paddock::sandbox
