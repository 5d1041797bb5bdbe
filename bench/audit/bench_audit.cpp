// The audit trail's three figures (issue 6): events appended per second with hashing and
// group commit (target >= 1,000,000/s), trail verification (target >= 2,000,000 records/s), and
// what recording an event adds to a decision's hot path (target <= 200 ns).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "audit/event_json.hpp"
#include "audit/record.hpp"
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

// Appending: a producer makes and records events as fast as it can; the writer numbers,
// serialises, hashes, signs a checkpoint every 10,000 records and writes with fdatasync. The
// time runs until close() has synced the last record.
void BM_Append(benchmark::State& state) {
  const auto key = SigningKey::generate();
  const auto events = static_cast<std::int64_t>(state.range(0));
  for (auto _ : state) {
    fs::remove(trail_path());
    TrailWriter writer(trail_path(), std::string(kRun), key);
    writer.start();
    for (std::int64_t i = 0; i < events; ++i) writer.record(exec_event(i));
    benchmark::DoNotOptimize(writer.close());
  }
  fs::remove(trail_path());
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(events * state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Append)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

// The writer's work per record, on one thread: canonical JSON, time, hash, line.
void BM_EncodeRecord(benchmark::State& state) {
  const Event event = exec_event(1);
  RecordHasher hasher;
  std::string json, line, prev = genesis_hash(kRun);
  char hash[kHashLength];
  std::uint64_t seq = 0;
  for (auto _ : state) {
    json.clear();
    append_event_json(json, event.body);
    const std::string time = format_time(event.time_ns + static_cast<std::int64_t>(seq));
    hasher.hash(++seq, time, "exec", prev, json, hash);
    append_record(line, {seq, time, "exec", prev, std::string_view(hash, kHashLength), json});
    if (line.size() > (1 << 20)) line.clear();
  }
}
BENCHMARK(BM_EncodeRecord);

void BM_HashOnly(benchmark::State& state) {
  const Event event = exec_event(1);
  RecordHasher hasher;
  std::string json, prev = genesis_hash(kRun);
  append_event_json(json, event.body);
  const std::string time = format_time(event.time_ns);
  char hash[kHashLength];
  for (auto _ : state) {
    hasher.hash(1, time, "exec", prev, json, hash);
    benchmark::DoNotOptimize(hash);
  }
}
BENCHMARK(BM_HashOnly);

void BM_JsonOnly(benchmark::State& state) {
  const Event event = exec_event(1);
  std::string json;
  for (auto _ : state) {
    json.clear();
    append_event_json(json, event.body);
    benchmark::DoNotOptimize(json.data());
  }
}
BENCHMARK(BM_JsonOnly);

// The writer alone: a million events queued, then committed in batches (hashing, checkpoints,
// fdatasync); the time runs from start() until close() has synced the last record.
void BM_AppendBatched(benchmark::State& state) {
  const auto key = SigningKey::generate();
  const auto events = static_cast<std::int64_t>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    fs::remove(trail_path());
    TrailWriter writer(trail_path(), std::string(kRun), key, {20ms, 10000, 1000ms, true, std::size_t(events) + 1});
    for (std::int64_t i = 0; i < events; ++i) writer.record(exec_event(i));
    state.ResumeTiming();
    writer.start();
    benchmark::DoNotOptimize(writer.close());
  }
  fs::remove(trail_path());
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(events * state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AppendBatched)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// The hot path: what record() costs the producer's thread (a decision) while the writer keeps
// up: bursts of 1,000 events, timed, with a pause between them for the writer to drain.
void BM_RecordHotPath(benchmark::State& state) {
  const auto key = SigningKey::generate();
  fs::remove(trail_path());
  TrailWriter writer(trail_path(), std::string(kRun), key);
  writer.start();
  constexpr int kBurst = 1000;
  std::vector<Event> events;
  for (auto _ : state) {
    events.clear();
    for (int i = 0; i < kBurst; ++i) events.push_back(exec_event(i));  // made as the producer makes them anyway
    const auto start = std::chrono::steady_clock::now();
    for (auto& event : events) writer.record(std::move(event));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    state.SetIterationTime(std::chrono::duration<double>(elapsed).count() / kBurst);
    std::this_thread::sleep_for(3ms);
  }
  writer.close();
  fs::remove(trail_path());
}
BENCHMARK(BM_RecordHotPath)->UseManualTime()->Iterations(300)->Unit(benchmark::kNanosecond);

// Verifying a closed trail of a million records held in memory (as verify reads the file).
void BM_Verify(benchmark::State& state) {
  const auto key = SigningKey::generate();
  const auto events = state.range(0);
  // The trail to verify is made in memory (tmpfs) when there is one: writing 450 MB to the disk
  // would leave the kernel's writeback competing for the CPU while verification is measured.
  const std::string path =
      fs::is_directory("/dev/shm") ? "/dev/shm/paddock-bench-verify-" + std::to_string(::getpid()) : trail_path();
  fs::remove(path);
  std::uint64_t records = 0;
  {
    TrailWriter writer(path, std::string(kRun), key, {20ms, 10000, 1h, false});
    writer.start();
    for (std::int64_t i = 0; i < events; ++i) writer.record(exec_event(i));
    records = writer.close().records;
  }
  const std::string trail = read_file(path);
  fs::remove(path);
  const auto verifier = SignatureVerifier::from_hex(key.public_key_hex());
  for (auto _ : state) {
    const auto report = verify_trail(trail, {std::string(kRun), false, records, {}}, verifier);
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
