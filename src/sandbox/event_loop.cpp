#include "sandbox/event_loop.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/signal_set.hpp>

#include <functional>

#include "common/error.hpp"
#include "common/subprocess.hpp"
#include "sandbox/exec_monitor.hpp"
#include "sandbox/file_monitor.hpp"
#include "sandbox/init.hpp"
#include "sandbox/terminal.hpp"

namespace paddock::sandbox {

namespace asio = boost::asio;

int supervise(asio::io_context& io, RunningSandbox sandbox, Observer& observer, const BlockedSignals& blocked) {
  InitProcess& init = sandbox.init;
  observer.event_loop(io);

  asio::signal_set signals(io);
  for (int sig : kHandledSignals)
    if (sig != SIGWINCH || sandbox.terminal_master) signals.add(sig);
  blocked.release();

  std::optional<TerminalRelay> relay;
  if (sandbox.terminal_master) {
    const bool to_stdout = sandbox.terminal && sandbox.terminal->stdout_is_tty;
    relay.emplace(io, std::move(sandbox.terminal_master), to_stdout ? STDOUT_FILENO : STDERR_FILENO);
    relay->start();
  }
  std::optional<ExecMonitor> exec_monitor;
  if (sandbox.exec_listener) {
    exec_monitor.emplace(io, std::move(sandbox.exec_listener),
                         [&observer](const ExecEvent& event) { return observer.exec_requested(event); });
    exec_monitor->start();
  }
  std::optional<FileMonitor> file_monitor;
  if (sandbox.files.group) {
    file_monitor.emplace(
        io, std::move(sandbox.files), [&observer](const FileEvent& event) { observer.file_closed(event); },
        [&observer] { observer.file_events_lost(); });
    file_monitor->start();
  }

  // The init reports whether the command started; it may need exec notifications answered
  // first, so this is read inside the loop too.
  std::optional<Message> start_report;
  asio::posix::stream_descriptor channel(io, ::dup(sandbox.channel.fd()));
  std::function<void()> wait_for_report = [&] {
    channel.async_wait(asio::posix::descriptor_base::wait_read, [&](const boost::system::error_code& ec) {
      if (ec) return;
      start_report = sandbox.channel.receive();
      if (start_report && start_report->type == MessageType::exec_ok) observer.command_started();
    });
  };
  wait_for_report();

  std::optional<int> status;
  std::function<void()> wait_for_signal = [&] {
    signals.async_wait([&](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      if (sig == SIGCHLD) {
        if ((status = init.try_wait())) io.stop();
      } else if (sig == SIGWINCH) {
        relay->resize();
      } else {
        init.signal(sig);
      }
      if (!status) wait_for_signal();
    });
  };
  wait_for_signal();
  status = init.try_wait();  // it may have exited before the handler was in place
  if (!status) io.run();
  if (relay) relay->drain();
  if (file_monitor) file_monitor->drain();  // the files the sandbox's last processes closed
  signals.cancel();
  channel.cancel();

  if (!start_report || start_report->type != MessageType::exec_ok) {
    if (!start_report) start_report = sandbox.channel.receive();  // sent just before it exited
    if (start_report && start_report->type == MessageType::exec_failed)
      throw Error(
          fmt::format("cannot run \"{}\" in the sandbox: {}", start_report->text, errno_text(start_report->value)),
          start_report->value == ENOENT ? init::kExitNotFound : init::kExitCannotRun);
    if (!start_report || start_report->type != MessageType::exec_ok)
      throw Error("the sandbox exited before starting the command");
  }
  return exit_status_of(*status);
}

}  // namespace paddock::sandbox
