#include "cli/run_trail.hpp"

#include <unistd.h>

#include <cstdio>

#include <fmt/core.h>

#include "audit/summary.hpp"
#include "cli/audit_source.hpp"
#include "common/error.hpp"
#include "common/files.hpp"
#include "common/sha256.hpp"

namespace paddock::cli {
namespace {

[[noreturn]] void cannot_keep_trail(const Error& e) {
  throw Error("cannot keep this run's audit trail (" + std::string(e.what()) +
              "); point XDG_STATE_HOME and XDG_DATA_HOME at writable directories");
}

audit::SigningKey installation_key() {
  try {
    return audit::SigningKey::load_or_create(installation_key_directory());
  } catch (const Error& e) {
    cannot_keep_trail(e);
  }
}

}  // namespace

std::string policy_hash(const std::vector<policy::PolicyFile>& files) {
  std::string texts;
  for (const auto& file : files) {
    texts += file.text;
    texts += '\0';
  }
  return sha256_hex(texts);
}

audit::Policy policy_event(audit::Policy::Change change, std::string_view profile,
                           const std::vector<policy::PolicyFile>& files, std::size_t policies,
                           std::vector<std::string> diagnostics) {
  audit::Policy event{change,   std::string(profile),  {}, files.empty() ? "" : policy_hash(files),
                      policies, std::move(diagnostics)};
  for (const auto& file : files) event.files.push_back(file.name);
  return event;
}

RunTrail::RunTrail(const PreparedRun& run, const std::vector<std::string>& command, const std::string& workspace,
                   bool net_log)
    : store_(audit::RunStore::open_default()), key_(installation_key()), agent_(run.agent), net_log_(net_log) {
  // The texts the engine was built from: a file edited since is the next policy.reload's.
  const auto& files = run.policy_files;
  meta_.command = command;
  meta_.workspace = workspace;
  meta_.profile = std::string(run.profile.name);
  meta_.policy_hash = policy_hash(files);
  meta_.start_ns = audit::now_ns();
  meta_.supervisor_pid = ::getpid();
  meta_.supervisor_start = audit::process_start_time(::getpid());
  meta_.public_key = key_.public_key_hex();
  try {
    store_.create(meta_);
    writer_ = std::make_unique<audit::TrailWriter>(directory() + "/" + std::string(audit::kTrailFile), meta_.id, key_);
  } catch (const Error& e) {
    if (!meta_.id.empty()) {  // nothing half-made stays behind
      try {
        store_.remove(meta_.id);
      } catch (const Error&) {
      }
    }
    cannot_keep_trail(e);
  }
  stream_.set_run_id(meta_.id);
  writer_->set_listener([this](std::string_view lines) { stream_.publish(lines); });

  writer_->record({meta_.start_ns, policy_event(audit::Policy::Change::load, meta_.profile, files,
                                                run.engine->policies().policies().size())});
}

RunTrail::~RunTrail() {
  // A run that failed before its command ended still closes its trail (and says so in meta).
  // Never throws: this may run while that failure unwinds.
  try {
    if (!finished_) finished(-1);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "paddock: closing the audit trail of run %s: %s\n", meta_.id.c_str(), e.what());
  }
}

void RunTrail::record(audit::Event&& event) noexcept {
  if (net_log_ && audit::is_network(event)) fmt::print(stderr, "paddock: {}\n", audit::summary_line(event));
  writer_->record(std::move(event));
}

void RunTrail::started(pid_t init_pid) {
  audit::SandboxStart start;
  start.command = meta_.command;
  start.workspace = meta_.workspace;
  start.profile = meta_.profile;
  start.agent = agent_;
  start.init_pid = init_pid;
  writer_->record({0, std::move(start)});
  writer_->start();
}

void RunTrail::attach_stream(boost::asio::io_context& io) {
  try {
    stream_.attach(io, directory() + "/" + std::string(control::kControlSocket));
  } catch (const Error& e) {
    fmt::print(stderr, "paddock: note: no live event stream for this run: {}\n", e.what());
  }
}

void RunTrail::file_events_lost() {
  if (!file_events_lost_)
    fmt::print(stderr,
               "paddock: warning: file events were lost (the kernel's queue overflowed); sandbox.exit says so in "
               "the audit trail\n");
  file_events_lost_ = true;
}

void RunTrail::finished(int exit_status) {
  if (finished_) return;
  finished_ = true;
  const std::int64_t end = audit::now_ns();
  writer_->record({end, audit::SandboxExit{exit_status, static_cast<std::uint64_t>((end - meta_.start_ns) / 1000),
                                           file_events_lost_}});
  const auto totals = writer_->close();
  if (!totals.error.empty())
    fmt::print(stderr, "paddock: the audit trail of run {} is incomplete: {}\n", meta_.id, totals.error);
  if (totals.dropped != 0)
    fmt::print(stderr, "paddock: {} events of run {} came after its audit trail had closed and are not in it\n",
               totals.dropped, meta_.id);
  meta_.end_ns = end;
  meta_.exit_status = exit_status;
  meta_.records = totals.records;
  meta_.last_hash = totals.last_hash;
  meta_.trail_error = totals.error;
  try {
    store_.save(meta_);
  } catch (const Error& e) {
    fmt::print(stderr, "paddock: {}\n", e.what());
  }
}

}  // namespace paddock::cli
