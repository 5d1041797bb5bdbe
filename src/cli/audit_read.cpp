#include "cli/audit_read.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <cstring>
#include <deque>
#include <memory>
#include <thread>

#include "audit/checkpoint.hpp"
#include "audit/event_json.hpp"
#include "audit/record.hpp"
#include "audit/summary.hpp"
#include "cli/audit_source.hpp"
#include "cli/durations.hpp"
#include "common/error.hpp"
#include "common/unique_fd.hpp"
#include "control/event_stream.hpp"

namespace paddock::cli {
namespace {

// Every complete line of a trail.
template <class Visit>
void for_each_line(std::string_view trail, Visit&& visit) {
  while (!trail.empty()) {
    const auto end = trail.find('\n');
    if (end == std::string_view::npos) return;  // a torn or unfinished last line
    visit(trail.substr(0, end));
    trail.remove_prefix(end + 1);
  }
}

// "2026-12-06T23:10:00.123Z     17 exec pid 4 /usr/bin/git git push deny [deny-push]"
std::string render(const audit::RecordView& record) {
  std::string summary;
  if (record.kind == audit::kCheckpointKind) {
    const auto checkpoint = audit::parse_checkpoint_event(record.event);
    summary = checkpoint && checkpoint->final ? "checkpoint (final, signed)" : "checkpoint (signed)";
  } else {
    try {
      summary = audit::summary_line({0, audit::parse_event_json(record.kind, record.event)});
    } catch (const Error&) {
      summary = std::string(record.kind) + " " + std::string(record.event);
    }
  }
  return fmt::format("{}Z {:>6} {}", record.time.substr(0, 23), record.seq, summary);
}

void print_line(std::string_view line, bool json) {
  if (json) {
    fmt::print("{}\n", line);
  } else if (const auto record = audit::parse_record(line)) {
    fmt::print("{}\n", render(*record));
  } else {
    fmt::print("(not a record: {})\n", line);
  }
}

// A connection to a live run's event stream; empty when the run is not serving one.
UniqueFd connect_stream(const std::string& directory) {
  const std::string path = directory + "/" + std::string(control::kControlSocket);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof address.sun_path) return {};
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) throw SysError("socket");
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) return {};
  return fd;
}

// Reads one line from `fd` into `line`, keeping what follows it in `buffer`; false at the end.
bool read_line(int fd, std::string& buffer, std::string& line) {
  for (;;) {
    if (const auto end = buffer.find('\n'); end != std::string::npos) {
      line = buffer.substr(0, end);
      buffer.erase(0, end + 1);
      return true;
    }
    char chunk[65536];
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
}

struct TailFlags {
  std::string run;
  std::size_t lines = 10;
  bool follow = false;
  bool json = false;
};

// Subscribes to run `id`'s stream and waits for the hello: every record after it arrives on the
// stream, every record before it is in the file read next. Empty when the run serves none.
UniqueFd subscribe(const audit::RunStore& store, const std::string& id, std::string& buffer) {
  buffer.clear();
  UniqueFd stream = connect_stream(store.directory(id));
  std::string hello;
  if (stream && !read_line(stream.get(), buffer, hello)) stream = {};
  return stream;
}

int tail(const TailFlags& flags) {
  const auto store = audit::RunStore::open_default();
  const std::string id = store.resolve(flags.run);
  std::string buffer, line;
  UniqueFd stream;
  if (flags.follow) stream = subscribe(store, id, buffer);
  const TrailSource source = load_run_trail(store, id);
  std::deque<std::string_view> last;
  std::uint64_t seen = 0;
  for_each_line(source.trail, [&](std::string_view l) {
    last.push_back(l);
    if (last.size() > flags.lines) last.pop_front();
  });
  for (const auto l : last) {
    print_line(l, flags.json);
    if (const auto record = audit::parse_record(l)) seen = record->seq;
  }
  if (!flags.follow) return 0;
  std::fflush(stdout);
  if (!stream && source.context.live)
    fmt::print(stderr, "paddock: run {} serves no live stream; showing what is on disk\n", id);
  // Prints the records on disk that were not printed yet (sequence numbers remove the overlap).
  auto catch_up = [&] {
    const TrailSource now = load_run_trail(store, id);
    for_each_line(now.trail, [&](std::string_view l) {
      const auto record = audit::parse_record(l);
      if (record && record->seq <= seen) return;
      if (record) seen = record->seq;
      print_line(l, flags.json);
    });
    std::fflush(stdout);
  };
  while (stream) {
    while (read_line(stream.get(), buffer, line)) {
      const auto record = audit::parse_record(line);
      if (record && record->seq <= seen) continue;
      if (record) seen = record->seq;
      print_line(line, flags.json);
      std::fflush(stdout);
    }
    // The stream closed. Still served: the supervisor dropped this reader for falling behind, so
    // subscribe again and catch up from the file. Not served: the run is ending.
    stream = subscribe(store, id, buffer);
    if (stream) catch_up();
  }
  // The run's last records (its exit and the final checkpoint) are written after the stream
  // closes, before the supervisor marks the run ended.
  for (int wait = 0; wait < 500 && store.state(store.load(id)) == audit::RunState::running; ++wait)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  catch_up();
  return 0;
}

struct QueryFlags {
  std::string run;
  std::vector<std::string> kinds;
  std::string decision;
  std::string since;
  bool json = false;
};

// A duration back from now ("90s", "30m", "2h", "7d"), a record's own time (nanoseconds), or
// any Cedar datetime ("2026-12-06", "2026-12-06T23:00:00Z", "...:00.250+0100").
std::int64_t parse_since(const std::string& text) {
  if (const auto age = parse_age(text)) return audit::now_ns() - *age;
  if (const auto time = audit::parse_time(text)) return *time;
  if (const auto instant = parse_instant(text)) return *instant;
  throw Error("--since " + text +
                  ": give a time (2026-12-06, 2026-12-06T23:00:00Z, 2026-12-06T23:00:00+0100) or a duration (90s, "
                  "30m, 2h, 7d)",
              kExitUsage);
}

bool kind_matches(const std::vector<std::string>& kinds, std::string_view kind) {
  if (kinds.empty()) return true;
  for (const auto& k : kinds)  // "net" matches net.connect and net.close
    if (kind == k || (kind.starts_with(k) && kind.size() > k.size() && kind[k.size()] == '.')) return true;
  return false;
}

int query(const QueryFlags& flags) {
  if (!flags.decision.empty() && flags.decision != "allow" && flags.decision != "deny")
    throw Error("--decision " + flags.decision + ": say allow or deny", kExitUsage);
  const std::int64_t since = flags.since.empty() ? 0 : parse_since(flags.since);
  const auto store = audit::RunStore::open_default();
  std::vector<std::string> ids;
  if (!flags.run.empty())
    ids.push_back(store.resolve(flags.run));
  else
    for (const auto& run : store.list()) ids.push_back(run.id);
  std::size_t matches = 0;
  for (const auto& id : ids) {
    const TrailSource source = load_run_trail(store, id);
    for_each_line(source.trail, [&](std::string_view line) {
      const auto record = audit::parse_record(line);
      if (!record || !kind_matches(flags.kinds, record->kind)) return;
      if (since != 0 && audit::parse_time(record->time).value_or(0) < since) return;
      nlohmann::json event;
      if (!flags.decision.empty() || flags.json) event = nlohmann::json::parse(record->event, nullptr, false);
      if (!flags.decision.empty()) {
        const auto decision = event.is_object() ? event.find("decision") : event.end();
        if (!event.is_object() || decision == event.end()) return;
        if (decision->value("allowed", true) != (flags.decision == "allow")) return;
      }
      ++matches;
      if (flags.json) {
        nlohmann::json out = nlohmann::json::parse(line);
        out["run"] = id;
        fmt::print("{}\n", out.dump());
      } else {
        fmt::print("{} {}\n", id, render(*record));
      }
    });
  }
  if (matches == 0 && !flags.json) fmt::print(stderr, "paddock: no records match\n");
  return 0;
}

}  // namespace

void add_audit_read_commands(CLI::App* audit, Action& action) {
  auto tail_flags = std::make_shared<TailFlags>();
  auto* tail_cmd = audit->add_subcommand("tail", "Print a run's last records; -f follows a live run");
  tail_cmd->add_option("run", tail_flags->run, "A run's id or unique prefix (default: the newest run)");
  tail_cmd->add_option("-n,--lines", tail_flags->lines, "How many records to print first (default 10)");
  tail_cmd->add_flag("-f,--follow", tail_flags->follow, "Keep printing records as the run writes them, until it ends");
  tail_cmd->add_flag("--json", tail_flags->json, "The records as they are written (JSON lines)");
  tail_cmd->callback([tail_flags, &action] { action = [tail_flags] { return tail(*tail_flags); }; });

  auto query_flags = std::make_shared<QueryFlags>();
  auto* query_cmd = audit->add_subcommand("query", "Find records across the runs");
  query_cmd->add_option("--run", query_flags->run, "Only this run (id or unique prefix)");
  query_cmd->add_option("--kind", query_flags->kinds, "Only this kind (exec, net.connect, ...; net matches net.*)");
  query_cmd->add_option("--decision", query_flags->decision, "Only records whose decision was allow or deny");
  query_cmd->add_option(
      "--since", query_flags->since,
      "Only records from this time on (2026-12-06, 2026-12-06T23:00:00Z, a record's time) or this long "
      "ago (30m, 2h, 7d)");
  query_cmd->add_flag("--json", query_flags->json, "Each record as a JSON line, with a \"run\" member added");
  query_cmd->callback([query_flags, &action] { action = [query_flags] { return query(*query_flags); }; });
}

}  // namespace paddock::cli
