// The trail from the attacker's side: a writer's trail verifies; every tampering (a byte of any
// field edited, a record deleted, inserted, swapped, the end cut off at every offset, a suffix
// rewritten with fresh hashes) is detected and located, over thousands of random cases; a crash
// (SIGKILL while writing) leaves a trail reported as torn, never as tampered; many threads
// recording at once lose nothing.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <future>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "audit/checkpoint.hpp"
#include "audit/record.hpp"
#include "audit/signing_key.hpp"
#include "audit/trail_writer.hpp"
#include "audit/verify.hpp"
#include "common/error.hpp"
#include "common/files.hpp"
#include "common/openssl_handles.hpp"

namespace paddock::audit {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr std::string_view kRun = "20261206T231000Z-abcdef";

Event exec_event(int i) {
  Exec e;
  e.pid = i;
  e.ppid = 1;
  e.path = "/usr/bin/tool" + std::to_string(i % 7);
  e.argv = {"tool", "--n", std::to_string(i)};
  e.cwd = "/work";
  e.decision.allowed = i % 5 != 0;
  if (!e.decision.allowed) e.decision.policies = {{"deny-tool", "strict.cedar:3"}};
  return {1'800'000'000'000'000'000 + i, e};
}

// A forked child's report to the test: written through a pipe as it exits, read to the end.
[[noreturn]] void exit_reporting(int pipe_end, const std::string& text) {
  ::_exit(::write(pipe_end, text.data(), text.size()) == static_cast<ssize_t>(text.size()) ? 0 : 3);
}
std::string read_to_end(int pipe_end) {
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipe_end, buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<std::size_t>(n));
  ::close(pipe_end);
  return text;
}

// Every public key (a line each) that `processes` forked processes of `threads` threads each got
// from load_or_create(directory), all released at once.
std::string keys_made_at_once(const std::string& directory, int processes, int threads) {
  int start[2], results[2];
  if (::pipe(start) != 0 || ::pipe(results) != 0) throw SysError("pipe");
  std::vector<pid_t> children;
  for (int p = 0; p < processes; ++p) {
    const pid_t child = ::fork();
    if (child < 0) throw SysError("fork");
    if (child > 0) {
      children.push_back(child);
      continue;
    }
    ::close(start[1]);
    char byte;
    if (::read(start[0], &byte, 1) != 0) ::_exit(2);  // end of file: the parent's go
    std::vector<std::string> keys(static_cast<std::size_t>(threads));
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
      workers.emplace_back([&, t] {
        try {
          keys[static_cast<std::size_t>(t)] = SigningKey::load_or_create(directory).public_key_hex() + "\n";
        } catch (const std::exception& e) {
          keys[static_cast<std::size_t>(t)] = std::string("error: ") + e.what() + "\n";
        }
      });
    for (auto& worker : workers) worker.join();
    std::string text;
    for (const auto& key : keys) text += key;
    exit_reporting(results[1], text);
  }
  ::close(start[0]);
  ::close(start[1]);
  ::close(results[1]);
  std::string keys = read_to_end(results[0]);
  for (const pid_t child : children) {
    int status = 0;
    ::waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  }
  return keys;
}

class Trail : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("paddock-trail-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A closed trail of `events` records plus its checkpoints (one every 10 records).
  std::string write_trail(int events, std::uint64_t* total = nullptr) {
    const std::string path = dir_ + "/audit-" + std::to_string(counter_++) + ".jsonl";
    TrailWriter writer(path, std::string(kRun), key_, {1ms, 10, 1h, false});
    writer.start();
    for (int i = 0; i < events; ++i) writer.record(exec_event(i));
    const auto totals = writer.close();
    EXPECT_EQ(totals.error, "");
    if (total != nullptr) *total = totals.records;
    return read_file(path);
  }

  VerifyReport verify(std::string_view trail, std::optional<std::uint64_t> closed) const {
    return verify_trail(trail, {std::string(kRun), false, closed, {}}, verifier_);
  }

  static std::vector<std::string> lines_of(const std::string& trail) {
    std::vector<std::string> lines;
    std::size_t at = 0;
    while (at < trail.size()) {
      const auto end = trail.find('\n', at);
      lines.push_back(trail.substr(at, end - at));
      at = end + 1;
    }
    return lines;
  }
  static std::string join(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) out += line + "\n";
    return out;
  }

  std::string dir_;
  int counter_ = 0;
  SigningKey key_ = SigningKey::generate();
  SignatureVerifier verifier_ = SignatureVerifier::from_hex(key_.public_key_hex());
};

TEST_F(Trail, TheSigningKeyIsMadeOnceAndAnotherKindOfKeyIsAnErrorNamingItsFile) {
  const std::string dir = dir_ + "/key";
  const auto made = SigningKey::load_or_create(dir);
  EXPECT_EQ(fs::status(dir + "/" + std::string(kPrivateKeyFile)).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(SigningKey::load_or_create(dir).public_key_hex(), made.public_key_hex()) << "loaded, not made again";
  // A first run that crashed between the private key and the public one: the next run writes it.
  const std::string public_path = dir + "/" + std::string(kPublicKeyFile);
  const std::string public_pem = read_file(public_path);
  fs::remove(public_path);
  EXPECT_EQ(SigningKey::load_or_create(dir).public_key_hex(), made.public_key_hex());
  ASSERT_TRUE(fs::exists(public_path)) << "the public key is written again";
  EXPECT_EQ(read_file(public_path), public_pem);

  // An ECDSA key in its place (a PEM private key, but not Ed25519), then garbage.
  PKey ec(EVP_EC_gen("P-256"));
  ASSERT_TRUE(ec);
  for (const std::string& text : {to_pem(*ec), std::string("garbage\n")}) {
    write_file_atomically(dir + "/" + std::string(kPrivateKeyFile), text, 0600);
    try {
      SigningKey::load_or_create(dir);
      ADD_FAILURE() << "loaded " << text;
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()),
                dir + "/" + std::string(kPrivateKeyFile) +
                    ": not an Ed25519 private key in PEM; move it away and paddock makes a new one");
    }
  }
}

TEST_F(Trail, FirstRunsAtOnceAllGetTheOneSigningKeyOnDisk) {
  // Each first run stats, finds no key, makes one: all at once, in processes and threads.
  const fs::path base = fs::path(dir_) / "key-race";
  constexpr int kProcesses = 6, kThreads = 4;
  for (int round = 0; round < 5; ++round) {
    SCOPED_TRACE(round);
    const std::string directory = (base / std::to_string(round) / "audit").string();
    const auto keys = lines_of(keys_made_at_once(directory, kProcesses, kThreads));
    ASSERT_EQ(keys.size(), std::size_t{kProcesses * kThreads});
    const std::set<std::string> distinct(keys.begin(), keys.end());
    EXPECT_EQ(distinct.size(), 1u) << "one of them: " << *distinct.rbegin();
    const std::string on_disk = SigningKey::load_or_create(directory).public_key_hex();
    EXPECT_EQ(keys.front(), on_disk);
    EXPECT_EQ(SignatureVerifier::from_pem(read_file(directory + "/" + std::string(kPublicKeyFile))).public_key_hex(),
              on_disk);
    std::vector<std::string> left;
    for (const auto& entry : fs::directory_iterator(directory)) left.push_back(entry.path().filename().string());
    EXPECT_EQ(left.size(), 2u) << "no temporary file stays behind";
  }
}

TEST_F(Trail, AClosedTrailVerifies) {
  std::uint64_t total = 0;
  const std::string trail = write_trail(95, &total);
  const auto report = verify(trail, total);
  EXPECT_EQ(report.status, TrailStatus::ok) << report.problem;
  EXPECT_EQ(report.records, total);
  EXPECT_EQ(report.signed_records, total);
  EXPECT_EQ(total, 95u + 10u);  // nine checkpoints after every tenth record, and the final one
  EXPECT_EQ(report.checkpoints, 10u);
  const auto last = parse_record(lines_of(trail).back());
  ASSERT_TRUE(last);
  EXPECT_EQ(last->kind, kCheckpointKind);
  EXPECT_TRUE(parse_checkpoint_event(last->event)->final);
}

TEST_F(Trail, ARecordMovedFromAnotherRunDoesNotChain) {
  const std::string trail = write_trail(5);
  const auto report = verify_trail(trail, {"another-run", false, std::nullopt, {}}, verifier_);
  EXPECT_EQ(report.status, TrailStatus::tampered);
  EXPECT_EQ(report.bad_line, 1u);
}

TEST_F(Trail, ACheckpointSignedByAnotherKeyIsRejected) {
  const std::string trail = write_trail(5);
  const auto other = SigningKey::generate();
  const auto report = verify_trail(trail, {std::string(kRun), false, std::nullopt, {}},
                                   SignatureVerifier::from_hex(other.public_key_hex()));
  EXPECT_EQ(report.status, TrailStatus::tampered);
  EXPECT_NE(report.problem.find("another key"), std::string::npos) << report.problem;
}

TEST_F(Trail, RandomTamperingIsAlwaysDetectedAndLocated) {
  std::uint64_t total = 0;
  const std::string trail = write_trail(40, &total);
  const auto lines = lines_of(trail);
  ASSERT_EQ(lines.size(), total);
  std::mt19937 random(42);
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  for (int round = 0; round < 4000; ++round) {
    auto tampered = lines;
    std::string what;
    std::vector<std::uint64_t> where;  // acceptable 1-based lines for the report
    switch (round % 4) {
      case 0: {  // one byte of any field (or the line's end) changed
        const std::size_t k = pick(lines.size());
        std::string text = join(tampered);
        std::size_t line_start = 0;
        for (std::size_t i = 0; i < k; ++i) line_start += lines[i].size() + 1;
        const std::size_t offset = line_start + pick(lines[k].size() + 1);
        char replacement;
        do replacement = static_cast<char>(pick(256));
        while (replacement == text[offset]);
        text[offset] = replacement;
        what = "byte " + std::to_string(offset) + " of line " + std::to_string(k + 1);
        const auto report = verify(text, total);
        EXPECT_EQ(report.status, TrailStatus::tampered) << what;
        EXPECT_EQ(report.bad_line, k + 1) << what << ": " << report.problem;
        continue;
      }
      case 1: {  // a record deleted
        const std::size_t k = pick(lines.size());
        tampered.erase(tampered.begin() + static_cast<long>(k));
        what = "line " + std::to_string(k + 1) + " deleted";
        where = {k + 1};
        break;
      }
      case 2: {  // a copy of some record inserted somewhere
        const std::size_t k = pick(lines.size() + 1), j = pick(lines.size());
        tampered.insert(tampered.begin() + static_cast<long>(k), lines[j]);
        what = "line " + std::to_string(j + 1) + " inserted at " + std::to_string(k + 1);
        where = {k + 1, k, k + 2};  // a duplicate of a neighbour is reported at the first of the pair
        if (j + 1 != k && j != k) where = {k + 1};
        break;
      }
      case 3: {  // two neighbours swapped
        const std::size_t k = pick(lines.size() - 1);
        std::swap(tampered[k], tampered[k + 1]);
        what = "lines " + std::to_string(k + 1) + " and " + std::to_string(k + 2) + " swapped";
        where = {k + 1};
        break;
      }
    }
    const auto report = verify(join(tampered), total);
    EXPECT_EQ(report.status, TrailStatus::tampered) << what;
    EXPECT_NE(std::find(where.begin(), where.end(), report.bad_line), where.end())
        << what << ": reported line " << report.bad_line << ": " << report.problem;
  }
}

TEST_F(Trail, CuttingTheEndAtEveryOffsetIsDetected) {
  std::uint64_t total = 0;
  const std::string trail = write_trail(12, &total);
  const auto lines = lines_of(trail);
  const std::size_t last_start = trail.size() - lines.back().size() - 1;
  for (std::size_t cut = last_start; cut < trail.size(); ++cut) {
    const auto closed = verify(std::string_view(trail).substr(0, cut), total);
    EXPECT_EQ(closed.status, TrailStatus::tampered) << "cut at " << cut;
    EXPECT_EQ(closed.bad_line, lines.size()) << "cut at " << cut << ": " << closed.problem;
  }
}

TEST_F(Trail, ACrashCutsTheTrailAnywhereAndNothingBeforeIsCondemned) {
  // Without the run's closing metadata (its supervisor died), any prefix is torn, never tampered.
  std::uint64_t total = 0;
  const std::string trail = write_trail(25, &total);
  std::uint64_t complete_lines = 0;
  for (std::size_t cut = 1; cut < trail.size(); ++cut) {
    if (trail[cut - 1] == '\n') ++complete_lines;
    const auto report = verify(std::string_view(trail).substr(0, cut), std::nullopt);
    if (report.status == TrailStatus::ok) {
      ADD_FAILURE() << "a prefix of " << cut << " bytes verified as complete";
      continue;
    }
    EXPECT_EQ(report.status, TrailStatus::torn) << "cut at " << cut << ": " << report.problem;
    EXPECT_EQ(report.records, complete_lines) << "cut at " << cut;
  }
}

TEST_F(Trail, ASuffixRewrittenWithFreshHashesFailsAtTheNextCheckpoint) {
  // The attacker knows the format: edit record 13, then recompute every later hash and link.
  std::uint64_t total = 0;
  auto lines = lines_of(write_trail(30, &total));
  RecordHasher hasher;
  std::string prev;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto r = *parse_record(lines[i]);
    if (i < 12) {
      prev = std::string(r.hash);
      continue;
    }
    std::string event(r.event);
    if (i == 12) event.replace(event.find("/usr/bin/"), 9, "/usr/sbin");
    char hash[kHashLength];
    hasher.hash(r.seq, r.time, r.kind, prev, event, hash);
    std::string line;
    const std::string time(r.time), kind(r.kind);
    append_record(line, {r.seq, time, kind, prev, std::string_view(hash, kHashLength), event});
    line.pop_back();
    lines[i] = line;
    prev.assign(hash, kHashLength);
  }
  const auto report = verify(join(lines), total);
  EXPECT_EQ(report.status, TrailStatus::tampered);
  // Records 1-10 and checkpoint 11 stand; 12 (exec 10), then record 13 edited; checkpoint at 22.
  EXPECT_EQ(report.bad_line, 22u) << report.problem;
  EXPECT_NE(report.problem.find("invalid signature"), std::string::npos) << report.problem;
}

TEST_F(Trail, ALargeTrailReadInParallelLocatesTheFirstBadRecordExactly) {
  // 50,000 records (over 16 MB): windows of 8 MB, each read in parts on several threads.
  const std::string path = dir_ + "/large.jsonl";
  std::uint64_t total = 0;
  {
    TrailWriter writer(path, std::string(kRun), key_, {1ms, 10000, 1h, false});
    writer.start();
    for (int i = 0; i < 50'000; ++i) writer.record(exec_event(i));
    total = writer.close().records;
  }
  const std::string trail = read_file(path);
  ASSERT_GT(trail.size(), std::size_t{16} << 20);
  const auto report = verify(trail, total);
  EXPECT_EQ(report.status, TrailStatus::ok) << report.problem;
  EXPECT_EQ(report.records, total);

  std::vector<std::size_t> line_starts{0};
  for (std::size_t at = 0; (at = trail.find('\n', at)) != std::string::npos && at + 1 < trail.size(); ++at)
    line_starts.push_back(at + 1);
  ASSERT_EQ(line_starts.size(), total);
  std::mt19937 random(7);
  for (int round = 0; round < 40; ++round) {
    // Two edits: the earlier one is the one reported, whichever part or window holds the later.
    std::size_t first = random() % total, second = random() % total;
    if (first > second) std::swap(first, second);
    if (first == second) continue;
    std::string tampered = trail;
    tampered[line_starts[first] + 30] ^= 1;
    tampered[line_starts[second] + 30] ^= 1;
    const auto bad = verify(tampered, total);
    EXPECT_EQ(bad.status, TrailStatus::tampered);
    EXPECT_EQ(bad.bad_line, first + 1) << bad.problem;
  }
  // Cut inside the last line of a run that never closed its trail: torn, with every record before intact.
  const auto torn = verify(std::string_view(trail).substr(0, trail.size() - 20), std::nullopt);
  EXPECT_EQ(torn.status, TrailStatus::torn) << torn.problem;
  EXPECT_EQ(torn.records, total - 1);
  EXPECT_EQ(torn.bad_line, total);
}

TEST_F(Trail, ManyThreadsRecordingAtOnceLoseNothingAndKeepEachThreadsOrder) {
  const std::string path = dir_ + "/concurrent.jsonl";
  constexpr int kThreads = 8, kEach = 5000;
  std::uint64_t total = 0;
  {
    TrailWriter writer(path, std::string(kRun), key_, {2ms, 1000, 1h, false, 4096});
    writer.start();
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) writer.record(exec_event(t * kEach + i));
      });
    for (auto& thread : threads) thread.join();
    total = writer.close().records;
  }
  const std::string trail = read_file(path);
  const auto report = verify(trail, total);
  EXPECT_EQ(report.status, TrailStatus::ok) << report.problem;
  std::vector<int> last(kThreads, -1);
  std::uint64_t execs = 0;
  for (const auto& line : lines_of(trail)) {
    const auto r = parse_record(line);
    if (r->kind != "exec") continue;
    ++execs;
    const auto pid_at = r->event.find("\"pid\":") + 6;
    const int pid = std::stoi(std::string(r->event.substr(pid_at)));
    EXPECT_GT(pid % kEach, last[static_cast<std::size_t>(pid / kEach)] % kEach) << "thread order broken at " << pid;
    last[static_cast<std::size_t>(pid / kEach)] = pid;
  }
  EXPECT_EQ(execs, std::uint64_t{kThreads} * kEach);
}

TEST_F(Trail, AProducerWaitingOnAFullQueueWhileCloseRunsIsWrittenOrCountedAsDropped) {
  const std::string path = dir_ + "/closing.jsonl";
  std::promise<void> release;
  const std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> listening{false};
  TrailWriter writer(path, std::string(kRun), key_, {1ms, 1000, 1h, false, 4});
  // The listener holds the writer thread until released: the queue fills behind it.
  writer.set_listener([&](std::string_view) {
    listening = true;
    released.wait();
  });
  writer.start();
  writer.record(exec_event(0));
  for (int i = 0; i < 5000 && !listening; ++i) std::this_thread::sleep_for(1ms);
  ASSERT_TRUE(listening);
  for (int i = 1; i <= 4; ++i) writer.record(exec_event(i));  // the queue is full (4)
  std::thread producer([&] { writer.record(exec_event(5)); });
  // There is nothing to await for "the producer waits inside record()" or "close() has begun".
  std::this_thread::sleep_for(50ms);
  TrailWriter::Totals totals;
  std::thread closer([&] { totals = writer.close(); });
  std::this_thread::sleep_for(50ms);
  release.set_value();
  closer.join();
  producer.join();

  const std::string trail = read_file(path);
  const auto lines = lines_of(trail);
  const auto execs = static_cast<std::uint64_t>(std::count_if(
      lines.begin(), lines.end(), [](const std::string& line) { return parse_record(line)->kind == "exec"; }));
  EXPECT_EQ(execs + totals.dropped, 6u) << execs << " on disk, " << totals.dropped << " reported dropped";
  EXPECT_EQ(totals.records, lines.size());
  const auto report = verify(trail, totals.records);
  EXPECT_EQ(report.status, TrailStatus::ok) << report.problem;
  writer.record(exec_event(6));
  EXPECT_EQ(writer.close().dropped, totals.dropped + 1) << "a record() after close() is counted too";
}

TEST_F(Trail, AfterAWriteErrorCloseReportsTheRecordsOnDisk) {
  // The file size limit makes write() stop short mid-line, then fail with EFBIG.
  const std::string path = dir_ + "/limited.jsonl";
  constexpr rlim_t kLimit = 100'000;
  int report_pipe[2];
  ASSERT_EQ(::pipe(report_pipe), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{kLimit, kLimit};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(2);
    TrailWriter writer(path, std::string(kRun), key_, {1ms, 100, 1h, false});
    for (int i = 0; i < 3000; ++i) writer.record(exec_event(i));
    writer.start();
    const auto totals = writer.close();
    exit_reporting(report_pipe[1], std::to_string(totals.records) + " " + totals.last_hash + " " + totals.error);
  }
  ::close(report_pipe[1]);
  const std::string text = read_to_end(report_pipe[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  std::istringstream fields(text);
  std::uint64_t records = 0;
  std::string last_hash, error;
  fields >> records >> last_hash;
  std::getline(fields, error);
  EXPECT_NE(error.find("EFBIG"), std::string::npos) << error;

  const std::string trail = read_file(path);
  EXPECT_EQ(trail.size(), kLimit);
  const auto complete = trail.substr(0, trail.rfind('\n') + 1);
  const auto lines = lines_of(complete);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(records, lines.size());
  EXPECT_EQ(last_hash, parse_record(lines.back())->hash);
  const auto report = verify(trail, std::nullopt);
  EXPECT_EQ(report.status, TrailStatus::torn) << report.problem;
  EXPECT_EQ(report.records, records);
  // The run's metadata names the error and the records on disk: a writer that failed, not a cut.
  const auto failed = verify_trail(trail, {std::string(kRun), false, records, error}, verifier_);
  EXPECT_EQ(failed.status, TrailStatus::torn) << failed.problem;
  EXPECT_NE(failed.problem.find("the run's audit writer failed ("), std::string::npos) << failed.problem;
  EXPECT_NE(failed.problem.find("EFBIG"), std::string::npos) << failed.problem;
  // Without the error, or with fewer records than the run wrote, the same trail was cut.
  EXPECT_EQ(verify(trail, records).status, TrailStatus::tampered);
  EXPECT_EQ(verify_trail(trail, {std::string(kRun), false, records + 1, error}, verifier_).status,
            TrailStatus::tampered);
}

TEST_F(Trail, AnExceptionOnTheWriterOrItsHelperIsTheWritersError) {
  // 10 queued events are one chunk, handed to the listener by the writer thread; 3,000 are three,
  // and the helper thread hands over the first.
  for (const int queued : {10, 3000}) {
    SCOPED_TRACE(queued);
    const std::string path = dir_ + "/throws-" + std::to_string(queued) + ".jsonl";
    TrailWriter writer(path, std::string(kRun), key_, {1ms, 100000, 1h, false, 16});
    writer.set_listener([](std::string_view) { throw std::runtime_error("the stream broke"); });
    for (int i = 0; i < queued; ++i) writer.record(exec_event(i));
    writer.start();
    // A writer that has stopped must not leave producers waiting on its full queue.
    for (int i = 0; i < 100; ++i) writer.record(exec_event(queued + i));
    const auto totals = writer.close();
    EXPECT_NE(totals.error.find("the stream broke"), std::string::npos) << totals.error;
    EXPECT_EQ(totals.records, lines_of(read_file(path)).size());
  }
}

TEST_F(Trail, SigkillWhileWritingLeavesATornTrailWhosePrefixVerifies) {
  const std::string path = dir_ + "/killed.jsonl";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    TrailWriter writer(path, std::string(kRun), key_, {1ms, 500, 10ms, true});
    writer.start();
    for (int i = 0;; ++i) {
      writer.record(exec_event(i));
      if (i % 64 == 0) std::this_thread::sleep_for(10us);
    }
  }
  // Wait until the writer has committed a few batches, then kill it mid-stream.
  for (int i = 0; i < 500 && (!fs::exists(path) || fs::file_size(path) < 200'000); ++i)
    std::this_thread::sleep_for(10ms);
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  const std::string trail = read_file(path);
  ASSERT_GT(trail.size(), 200'000u);
  const auto report = verify(trail, std::nullopt);
  EXPECT_EQ(report.status, TrailStatus::torn) << report.problem;
  // Every complete line is an intact record; only a torn last line (if any) is not.
  EXPECT_EQ(report.records, static_cast<std::uint64_t>(std::count(trail.begin(), trail.end(), '\n')));
  EXPECT_GT(report.records, 100u);
  EXPECT_GT(report.checkpoints, 0u);
  // Had the run claimed to close its trail, the same file would be tampered.
  EXPECT_EQ(verify(trail, report.records + 5).status, TrailStatus::tampered);
}

}  // namespace
}  // namespace paddock::audit
