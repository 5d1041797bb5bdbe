// A run's audit trail (issue 6): its directory in the run store, its metadata, and the writer
// that every event of the run goes through. It is also the run's audit::Sink, so it prints the
// --net-log lines on the supervisor's side as the events pass.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "audit/run_store.hpp"
#include "audit/signing_key.hpp"
#include "audit/trail_writer.hpp"
#include "cli/run_options.hpp"
#include "control/event_stream.hpp"

namespace paddock::cli {

class RunTrail final : public audit::Sink {
 public:
  // Creates the run's directory, meta.json and audit.jsonl, and records policy.load. Throws
  // Error when the trail cannot be made: a run without its trail does not start.
  RunTrail(const PreparedRun& run, const std::vector<std::string>& command, const std::string& workspace, bool net_log);
  ~RunTrail() override;

  void record(audit::Event&& event) noexcept override;

  // The sandbox exists: records sandbox.start and starts the writer thread.
  void started(pid_t init_pid);
  // The live stream on the run's control socket, served by the supervisor's event loop until
  // detach_stream() (which must come before the loop is destroyed).
  void attach_stream(boost::asio::io_context& io);
  void detach_stream() { stream_.detach(); }
  // The kernel dropped file events: a warning the first time, and sandbox.exit says so.
  void file_events_lost();
  // Records sandbox.exit, closes the trail (final checkpoint) and completes meta.json.
  void finished(int exit_status);

  std::string directory() const { return store_.directory(meta_.id); }

 private:
  audit::RunStore store_;
  audit::SigningKey key_;
  audit::RunMeta meta_;
  control::EventStream stream_;  // before the writer, whose thread publishes into it
  std::unique_ptr<audit::TrailWriter> writer_;
  std::string agent_;
  bool net_log_;
  bool finished_ = false;
  bool file_events_lost_ = false;
};

// SHA-256 over the run's policy texts in load order, each followed by a NUL byte.
std::string policy_hash(const std::vector<policy::PolicyFile>& files);

// The policy.load / reload / reject event of `files` (none for a reject) and their policies.
audit::Policy policy_event(audit::Policy::Change change, std::string_view profile,
                           const std::vector<policy::PolicyFile>& files, std::size_t policies,
                           std::vector<std::string> diagnostics = {});

}  // namespace paddock::cli
