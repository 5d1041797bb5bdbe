// The run store: ids that sort by time, metadata that round-trips, prefixes, and the state of a
// run whose supervisor is gone.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "audit/run_store.hpp"
#include "common/error.hpp"

namespace paddock::audit {
namespace {

namespace fs = std::filesystem;

class Runs : public ::testing::Test {
 protected:
  void SetUp() override { fs::remove_all(root_); }
  void TearDown() override { fs::remove_all(root_); }

  RunMeta make(std::int64_t start_ns) {
    RunMeta meta;
    meta.command = {"sh", "-c", "true"};
    meta.workspace = "/work";
    meta.profile = "strict";
    meta.policy_hash = std::string(64, 'a');
    meta.start_ns = start_ns;
    meta.supervisor_pid = ::getpid();
    meta.supervisor_start = process_start_time(::getpid());
    meta.public_key = std::string(64, 'b');
    store_.create(meta);
    return meta;
  }

  std::string root_ = (fs::temp_directory_path() / ("paddock-runs-" + std::to_string(::getpid()))).string();
  RunStore store_{root_};
};

TEST_F(Runs, MetadataRoundTripsAndIdsSortByStartTime) {
  auto later = make(1'800'000'100'000'000'000);
  auto earlier = make(1'800'000'000'000'000'000);
  EXPECT_EQ(earlier.id.substr(0, 17), "20270115T080000Z-");
  EXPECT_EQ(fs::status(store_.directory(earlier.id)).permissions() & fs::perms::all, fs::perms::owner_all);
  later.end_ns = later.start_ns + 5'000'000'000;
  later.exit_status = 3;
  later.records = 17;
  later.last_hash = std::string(64, 'c');
  store_.save(later);

  const auto runs = store_.list();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].id, earlier.id);
  EXPECT_EQ(runs[1].id, later.id);
  EXPECT_EQ(runs[1].command, later.command);
  EXPECT_EQ(runs[1].end_ns, later.end_ns);
  EXPECT_EQ(runs[1].exit_status, 3);
  EXPECT_EQ(runs[1].records, 17u);
  EXPECT_EQ(runs[0].records, std::nullopt);
  EXPECT_EQ(store_.state(runs[0]), RunState::running);  // its supervisor is this process
  EXPECT_EQ(store_.state(runs[1]), RunState::exited);
}

TEST_F(Runs, ResolvesIdsAndPrefixesAndTheNewest) {
  const auto a = make(1'800'000'000'000'000'000);
  const auto b = make(1'800'000'000'000'000'000 + 3'600'000'000'000);
  EXPECT_EQ(store_.resolve(""), b.id);
  EXPECT_EQ(store_.resolve(a.id), a.id);
  EXPECT_EQ(store_.resolve(a.id.substr(0, 12)), a.id);
  EXPECT_THROW(store_.resolve("2027"), Error);  // both
  EXPECT_THROW(store_.resolve("1999"), Error);
  store_.remove(a.id);
  EXPECT_EQ(store_.list().size(), 1u);
}

TEST_F(Runs, ARunWhoseSupervisorIsGoneCrashed) {
  auto meta = make(1'800'000'000'000'000'000);
  meta.supervisor_start += 1;  // the pid now belongs to another process
  store_.save(meta);
  EXPECT_EQ(store_.state(store_.load(meta.id)), RunState::crashed);
}

TEST_F(Runs, DamagedMetadataIsAnErrorNamingTheFile) {
  const auto meta = make(1'800'000'000'000'000'000);
  const std::string path = store_.directory(meta.id) + "/meta.json";
  fs::resize_file(path, 10);
  try {
    store_.load(meta.id);
    FAIL() << "loaded";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  EXPECT_TRUE(store_.list().empty());
}

}  // namespace
}  // namespace paddock::audit
