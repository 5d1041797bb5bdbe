// `paddock runs` (the runs on this machine and how each ended) and `paddock runs prune`.
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <memory>

#include "audit/event.hpp"
#include "audit/run_store.hpp"
#include "cli/command.hpp"
#include "cli/durations.hpp"
#include "common/error.hpp"

namespace paddock::cli {
namespace {

std::string status_text(const audit::RunStore& store, const audit::RunMeta& run) {
  const auto state = store.state(run);
  if (state == audit::RunState::exited) return fmt::format("exited {}", run.exit_status.value_or(-1));
  return std::string(audit::state_name(state));
}

std::string duration_text(std::int64_t ns) {
  const std::int64_t s = ns / 1'000'000'000;
  if (s < 60) return fmt::format("{}.{}s", s, ns / 100'000'000 % 10);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, s / 60 % 60);
}

int list_runs(bool json) {
  const auto store = audit::RunStore::open_default();
  const auto runs = store.list();
  if (json) {
    for (const auto& run : runs) {
      auto line = audit::meta_to_json(run);
      line["status"] = status_text(store, run);
      fmt::print("{}\n", line.dump());
    }
    return 0;
  }
  if (runs.empty()) {
    fmt::print(stderr, "paddock: no runs recorded yet\n");
    return 0;
  }
  fmt::print("{:<24} {:<11} {:>8} {:>8}  {:<8} {}\n", "RUN", "STATUS", "TIME", "RECORDS", "PROFILE", "COMMAND");
  for (const auto& run : runs) {
    const std::int64_t end = run.end_ns.value_or(audit::now_ns());
    fmt::print("{:<24} {:<11} {:>8} {:>8}  {:<8} {}\n", run.id, status_text(store, run),
               duration_text(end - run.start_ns), run.records ? std::to_string(*run.records) : "-", run.profile,
               fmt::join(run.command, " "));
  }
  return 0;
}

struct PruneFlags {
  std::optional<std::size_t> keep;
  std::string older_than;
};

int prune(const PruneFlags& flags) {
  if (!flags.keep && flags.older_than.empty())
    throw Error("runs prune: say what to remove: --keep N (the newest N stay) or --older-than AGE", kExitUsage);
  std::int64_t cutoff = 0;
  if (!flags.older_than.empty()) {
    const auto age = parse_age(flags.older_than);
    if (!age) throw Error("--older-than " + flags.older_than + ": give an age such as 30m, 12h or 7d", kExitUsage);
    cutoff = audit::now_ns() - *age;
  }
  const auto store = audit::RunStore::open_default();
  const auto runs = store.list();  // oldest first
  std::size_t removed = 0, running = 0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const bool beyond_keep = flags.keep && runs.size() - i > *flags.keep;
    const bool too_old = cutoff != 0 && runs[i].start_ns < cutoff;
    if (!beyond_keep && !too_old) continue;
    if (store.state(runs[i]) == audit::RunState::running) {
      ++running;  // a live run's trail is never removed under it
      continue;
    }
    store.remove(runs[i].id);
    ++removed;
  }
  fmt::print("removed {} of {} runs{}\n", removed, runs.size(),
             running ? fmt::format(" ({} still running, kept)", running) : "");
  return 0;
}

}  // namespace

void add_runs_command(CLI::App& app, Action& action) {
  auto json = std::make_shared<bool>(false);
  auto* runs = app.add_subcommand("runs", "The runs on this machine: status, duration, records, command");
  runs->add_flag("--json", *json, "One JSON line per run (its meta.json and its status)");
  runs->callback([json, runs, &action] {
    if (runs->get_subcommands().empty()) action = [json] { return list_runs(*json); };
  });

  auto flags = std::make_shared<PruneFlags>();
  auto* prune_cmd = runs->add_subcommand("prune", "Remove old runs and their trails (never a running one)");
  prune_cmd->add_option("--keep", flags->keep, "Keep the newest N runs");
  prune_cmd->add_option("--older-than", flags->older_than, "Remove runs started longer ago than this (30m, 12h, 7d)");
  prune_cmd->callback([flags, &action] { action = [flags] { return prune(*flags); }; });
}

}  // namespace paddock::cli
