// The audit trail's three figures (issue 6): events appended per second with hashing and
// group commit (target >= 1,000,000/s), trail verification (target >= 2,000,000 records/s), and
// what recording an event adds to a decision's hot path (target <= 200 ns).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "audit/trail_writer.hpp"
#include "audit/verify.hpp"
#include "common/files.hpp"

namespace paddock::audit {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr std::string_view kRun = "20261206T231000Z-bench0";

// A typical decision: an exec with a short argv, allowed by a named policy.
Event exec_event(std::int64_t i) {
  Exec e;
  e.pid = i;
  e.ppid = 1;
  e.path = "/usr/bin/git";
  e.argv = {"git", "status", "--short"};
  e.cwd = "/home/dev/project";
  e.decision.policies = {{"strict-exec", "strict.cedar:41"}};
  return {1'800'000'000'000'000'000 + i, e};
}

std::string trail_path() {
  return (fs::temp_directory_path() / ("paddock-bench-" + std::to_string(::getpid()))).string();
}

// Appending: producers record, the writer numbers, serialises, hashes, signs a checkpoint every
// 10,000 records and writes with fdatasync; the time runs until close() has synced the last.
void BM_Append(benchmark::State& state) {
  const auto key = SigningKey::generate();
  const auto events = static_cast<std::int64_t>(state.range(0));
  std::vector<Event> batch;
  for (std::int64_t i = 0; i < events; ++i) batch.push_back(exec_event(i));
  for (auto _ : state) {
    state.PauseTiming();
    auto copy = batch;
    fs::remove(trail_path());
    state.ResumeTiming();
    TrailWriter writer(trail_path(), std::string(kRun), key);
    writer.start();
    for (auto& event : copy) writer.record(std::move(event));
    benchmark::DoNotOptimize(writer.close());
  }
  fs::remove(trail_path());
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(events * state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Append)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

// The hot path: record() on the producer's thread while the writer runs.
void BM_RecordHotPath(benchmark::State& state) {
  const auto key = SigningKey::generate();
  fs::remove(trail_path());
  TrailWriter writer(trail_path(), std::string(kRun), key);
  writer.start();
  constexpr std::size_t kPrepared = 1 << 16;
  std::vector<Event> events;
  std::size_t next = kPrepared;
  for (auto _ : state) {
    if (next == kPrepared) {  // events are made outside the measured time, as producers make them anyway
      state.PauseTiming();
      events.clear();
      for (std::size_t i = 0; i < kPrepared; ++i) events.push_back(exec_event(static_cast<std::int64_t>(i)));
      next = 0;
      state.ResumeTiming();
    }
    writer.record(std::move(events[next++]));
  }
  writer.close();
  fs::remove(trail_path());
}
BENCHMARK(BM_RecordHotPath)->Iterations(1 << 20);

// Verifying a closed trail of a million records held in memory (as verify reads the file).
void BM_Verify(benchmark::State& state) {
  const auto key = SigningKey::generate();
  const auto events = state.range(0);
  fs::remove(trail_path());
  std::uint64_t records = 0;
  {
    TrailWriter writer(trail_path(), std::string(kRun), key, {20ms, 10000, 1h, false});
    writer.start();
    for (std::int64_t i = 0; i < events; ++i) writer.record(exec_event(i));
    records = writer.close().records;
  }
  const std::string trail = read_file(trail_path());
  fs::remove(trail_path());
  const auto verifier = SignatureVerifier::from_hex(key.public_key_hex());
  for (auto _ : state) {
    const auto report = verify_trail(trail, {std::string(kRun), false, records}, verifier);
    if (report.status != TrailStatus::ok) state.SkipWithError(report.problem.c_str());
    benchmark::DoNotOptimize(report);
  }
  state.counters["records/s"] =
      benchmark::Counter(static_cast<double>(records * state.iterations()), benchmark::Counter::kIsRate);
  state.counters["MB/s"] =
      benchmark::Counter(static_cast<double>(trail.size() * state.iterations()) / 1e6, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Verify)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace paddock::audit

BENCHMARK_MAIN();
