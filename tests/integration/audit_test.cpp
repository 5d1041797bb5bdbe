// The audit trail of real runs, from the user's and the attacker's side: every run leaves a
// trail that verifies; decisions (execs, a denied connection) are in it; an edit or a cut is
// caught and located by `paddock audit verify`; SIGKILL of the supervisor under load leaves a
// torn trail whose records still verify; nothing of the trail or its key is in the sandbox.
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "common/files.hpp"
#include "common/sha256.hpp"
#include "common/unique_fd.hpp"
#include "support/http_server.hpp"
#include "support/sandbox_fixture.hpp"

namespace fs = std::filesystem;

namespace paddock::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

class Audit : public SandboxTest {
 protected:
  std::string runs_directory() const { return home_ + "/.local/state/paddock/runs"; }
  std::vector<std::string> run_ids() const {
    std::vector<std::string> ids;
    if (fs::exists(runs_directory()))
      for (const auto& e : fs::directory_iterator(runs_directory())) ids.push_back(e.path().filename());
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  std::string trail_of(const std::string& id) const { return runs_directory() + "/" + id + "/audit.jsonl"; }
};
INSTANTIATE_TEST_SUITE_P(Modes, Audit, ::testing::Values(Mode::root, Mode::unprivileged), mode_name);

TEST_P(Audit, EveryRunLeavesATrailThatVerifies) {
  auto r = paddock_run({"--exec-log"}, {"sh", "-c", "/bin/true; exit 3"});
  ASSERT_EQ(r.status, 3) << r.err;
  const auto ids = run_ids();
  ASSERT_EQ(ids.size(), 1u);
  struct stat st {};
  ASSERT_EQ(::stat((runs_directory() + "/" + ids[0]).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_EQ(st.st_uid, uid());
  ASSERT_EQ(::stat(trail_of(ids[0]).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto verify = paddock({"audit", "verify"});
  EXPECT_EQ(verify.status, 0) << verify.out << verify.err;
  EXPECT_THAT(verify.out, HasSubstr(ids[0] + ": ok: "));
  const std::string trail = read_file(trail_of(ids[0]));
  for (const char* kind : {R"("kind":"policy.load")", R"("kind":"sandbox.start")", R"("kind":"exec")",
                           R"("kind":"sandbox.exit")", R"("kind":"checkpoint")"})
    EXPECT_THAT(trail, HasSubstr(kind));
  EXPECT_THAT(trail, HasSubstr(R"("exit_status":3)"));
  EXPECT_THAT(trail, HasSubstr(R"("path":"/bin/true")"));

  auto runs = paddock({"runs"});
  EXPECT_EQ(runs.status, 0) << runs.err;
  EXPECT_THAT(runs.out, HasSubstr(ids[0]));
  EXPECT_THAT(runs.out, HasSubstr("exited 3"));
  auto listed = paddock({"runs", "--json"});
  EXPECT_EQ(listed.status, 0) << listed.err;
  EXPECT_EQ(std::count(listed.out.begin(), listed.out.end(), '\n'), 1) << listed.out;
  EXPECT_THAT(listed.out, HasSubstr(R"("id":")" + ids[0] + R"(")"));
  EXPECT_THAT(listed.out, HasSubstr(R"("exit_status":3)"));
  EXPECT_THAT(listed.out, HasSubstr(R"("status":"exited 3")"));
  auto tail = paddock({"audit", "tail", "-n", "2"});
  EXPECT_THAT(tail.out, HasSubstr("sandbox exited with status 3"));
  EXPECT_THAT(tail.out, HasSubstr("checkpoint (final, signed)"));
}

TEST_P(Audit, ThePolicyHashIsOfTheTextsTheRunLoaded) {
  // docs/audit.md: SHA-256 over each policy text followed by a NUL, the profile's first.
  const std::string profile = paddock({"policy", "show", "strict"}).out;
  const std::string policy = root_ + "/extra.cedar";
  const std::string text = "permit(principal, action == Action::\"FileOpen\", resource in Dir::\"/srv\");\n";
  write_file(policy, text);
  auto r = paddock_run({"--profile", "strict", "--policy", policy}, {"true"});
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string expected = sha256_hex(profile + '\0' + text + '\0');
  const auto ids = run_ids();
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_THAT(read_file(runs_directory() + "/" + ids[0] + "/meta.json"),
              HasSubstr("\"policy_hash\": \"" + expected + "\""));
  EXPECT_THAT(read_file(trail_of(ids[0])), HasSubstr("\"hash\":\"" + expected + "\",\"policies\":"))
      << "the policy.load event names the same texts";
}

TEST_P(Audit, ADeniedConnectionIsARecordNamingTheHost) {
  TestHttpServer denied;
  auto r =
      paddock_run(via_proxy_to_loopback({}), {"curl", "-fsS", "-o", "/dev/null", "http://" + denied.authority() + "/"});
  EXPECT_EQ(r.status, 22) << "curl -f: the proxy's 403; " << r.err;
  EXPECT_THAT(r.err, HasSubstr("403"));
  auto query = paddock({"audit", "query", "--kind", "net", "--decision", "deny", "--json"});
  EXPECT_EQ(query.status, 0) << query.err;
  EXPECT_THAT(query.out, HasSubstr(R"("kind":"net.connect")"));
  EXPECT_THAT(query.out, HasSubstr(R"("host":"127.0.0.1")"));
  EXPECT_THAT(query.out, HasSubstr(R"("allowed":false)"));
  auto allowed = paddock({"audit", "query", "--kind", "net", "--decision", "allow", "--json"});
  EXPECT_THAT(allowed.out, Not(HasSubstr(R"("kind":"net.connect")")));
}

TEST_P(Audit, AStateDirectoryTooLongForTheControlSocketRunsWithoutTheStreamAndSaysSo) {
  // Unix socket paths stop at 107 bytes; the run must still run, keep its trail, and say why
  // `paddock audit tail -f` will not follow it (Asio's exception once ended the run instead).
  const std::string state = home_ + "/" + std::string(100, 's');
  ProcessOptions options{.env = environment()};
  options.env->push_back("XDG_STATE_HOME=" + state);
  auto r = paddock_run({}, {"sh", "-c", "echo ran"}, options);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "ran\n");
  EXPECT_THAT(r.err, HasSubstr("no live event stream for this run: the control socket " + state));
  EXPECT_THAT(r.err, HasSubstr("over the 107 of a Unix socket"));
  auto verify = paddock({"audit", "verify"}, options);
  EXPECT_EQ(verify.status, 0) << verify.out << verify.err;
  EXPECT_THAT(verify.out, HasSubstr(": ok: "));
}

TEST_P(Audit, QuerySinceTakesAnAgeADateARecordsTimeAndRefusesTheRest) {
  ASSERT_EQ(paddock_run({}, {"true"}).status, 0);
  ASSERT_EQ(paddock_run({}, {"true"}).status, 0);
  auto starts = [&](const std::string& since) {
    auto q = paddock({"audit", "query", "--kind", "sandbox.start", "--json", "--since", since});
    EXPECT_EQ(q.status, 0) << since << ": " << q.err;
    return std::count(q.out.begin(), q.out.end(), '\n');
  };
  EXPECT_EQ(starts("1h"), 2);
  EXPECT_EQ(starts("2000-01-01"), 2);
  EXPECT_EQ(starts("2000-01-01T00:00:00Z"), 2);
  EXPECT_EQ(starts("2200-01-01T00:00:00.000+0100"), 0);
  // The later run's own sandbox.start time, nanoseconds and all, keeps that run only.
  auto both = paddock({"audit", "query", "--kind", "sandbox.start", "--json"});
  std::string latest;
  for (auto at = both.out.find(R"("time":")"); at != std::string::npos; at = both.out.find(R"("time":")", at + 1))
    latest = std::max(latest, both.out.substr(at + 8, both.out.find('"', at + 8) - at - 8));
  ASSERT_EQ(latest.size(), 30u) << both.out;
  EXPECT_EQ(starts(latest), 1) << latest;
  auto bad = paddock({"audit", "query", "--since", "yesterday"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_THAT(bad.err, HasSubstr("--since yesterday: give a time"));
}

TEST_P(Audit, VerifyLocatesAnEditAndACut) {
  ASSERT_EQ(paddock_run({"--exec-log"}, {"sh", "-c", "/bin/true; /bin/true; /bin/true"}).status, 0);
  const std::string path = trail_of(run_ids().at(0));
  const std::string original = read_file(path);

  std::string edited = original;  // record 4: one byte of its path
  std::size_t line4 = 0;
  for (int i = 0; i < 3; ++i) line4 = edited.find('\n', line4) + 1;
  edited[edited.find("/bin/true", line4) + 1] = 'B';
  write_file(path, edited);
  auto r = paddock({"audit", "verify"});
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("TAMPERED at line 4: record 4 (line 4) was edited"));

  write_file(path, original.substr(0, original.size() - 7));  // the final checkpoint cut short
  r = paddock({"audit", "verify"});
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("the trail was cut"));

  write_file(path, original);
  r = paddock({"audit", "verify"});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
}

TEST_P(Audit, SigkillOfTheSupervisorUnderLoadLeavesATornTrailThatStillVerifies) {
  const pid_t supervisor = spawn_paddock_run({"--exec-log"}, {"sh", "-c", "while :; do /bin/true; done"});
  std::string id;
  for (int i = 0; i < 500; ++i) {
    std::this_thread::sleep_for(10ms);
    const auto ids = run_ids();
    if (!ids.empty() && fs::exists(trail_of(ids[0])) && fs::file_size(trail_of(ids[0])) > 20'000) {
      id = ids[0];
      break;
    }
  }
  ASSERT_FALSE(id.empty()) << "the run wrote no trail";
  ASSERT_EQ(::kill(supervisor, SIGKILL), 0);
  ::waitpid(supervisor, nullptr, 0);

  auto r = paddock({"audit", "verify", id});
  EXPECT_EQ(r.status, 3) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr(id + ": torn: "));
  EXPECT_THAT(r.out, HasSubstr("records are intact"));
  auto runs = paddock({"runs"});
  EXPECT_THAT(runs.out, HasSubstr("crashed"));
}

TEST_P(Audit, TailFollowsALiveRunThroughItsControlSocketToTheEnd) {
  const pid_t supervisor =
      spawn_paddock_run({"--exec-log"}, {"sh", "-c", "for i in 1 2 3 4 5 6; do /bin/true; sleep 0.2; done"});
  std::string socket;
  for (int i = 0; i < 500 && socket.empty(); ++i) {
    std::this_thread::sleep_for(10ms);
    const auto ids = run_ids();
    if (!ids.empty() && fs::exists(runs_directory() + "/" + ids[0] + "/control.sock"))
      socket = runs_directory() + "/" + ids[0] + "/control.sock";
  }
  ASSERT_FALSE(socket.empty()) << "the run serves no control socket";
  {  // A client of the socket itself: the hello, then records as the run commits them.
    UniqueFd client(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", socket.c_str());
    ASSERT_EQ(::connect(client.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0) << socket;
    std::string received;
    char chunk[4096];
    while (std::count(received.begin(), received.end(), '\n') < 2) {
      const ssize_t n = ::read(client.get(), chunk, sizeof chunk);
      ASSERT_GT(n, 0) << "the stream closed after: " << received;
      received.append(chunk, static_cast<std::size_t>(n));
    }
    EXPECT_THAT(received, ::testing::StartsWith(R"({"run":")" + run_ids().at(0) +
                                                R"(","stream":"paddock-audit/1"})"
                                                "\n"));
    EXPECT_THAT(received.substr(received.find('\n') + 1), HasSubstr(R"("seq":)"));
  }
  ProcessOptions follow;
  follow.timeout = 20s;
  auto r = paddock({"audit", "tail", "-f", "-n", "1", "--json"}, follow);
  ::waitpid(supervisor, nullptr, 0);
  SCOPED_TRACE("tail -f printed:\n" + r.out + "and on stderr:\n" + r.err);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_FALSE(r.timed_out);
  EXPECT_THAT(r.err, Not(HasSubstr("no live stream")));
  // Every record from the first one printed to the final checkpoint, each once, in order.
  std::vector<std::uint64_t> seqs;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    const auto at = line.rfind(R"("seq":)");
    ASSERT_NE(at, std::string::npos) << line;
    seqs.push_back(std::stoull(line.substr(at + 6)));
  }
  ASSERT_GE(seqs.size(), 5u) << r.out;
  for (std::size_t i = 1; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], seqs[i - 1] + 1) << r.out;
  EXPECT_THAT(r.out, HasSubstr(R"("kind":"sandbox.exit")"));
  EXPECT_THAT(r.out.substr(r.out.rfind(R"("event")")), HasSubstr(R"("final":true)"));
  EXPECT_FALSE(fs::exists(socket)) << "the socket is removed when the run ends";
  const std::string trail = read_file(trail_of(run_ids().at(0)));
  EXPECT_EQ(std::count(trail.begin(), trail.end(), '\n'), static_cast<long>(seqs.back()));
}

TEST_P(Audit, TheSandboxSeesNeitherTheTrailsNorTheKey) {
  ASSERT_EQ(paddock_run({}, {"true"}).status, 0);
  const std::string trail = trail_of(run_ids().at(0));
  const std::string key = home_ + "/.local/share/paddock/audit/signing-key.pem";
  ASSERT_TRUE(fs::exists(key));
  auto r = paddock_run({}, {"sh", "-c", "cat " + trail + " " + key + " 2>&1; echo x >> " + trail + " 2>&1; true"});
  EXPECT_THAT(r.out, HasSubstr(trail + ": No such file or directory"));
  EXPECT_THAT(r.out, HasSubstr(key + ": No such file or directory"));
  EXPECT_THAT(r.out, Not(HasSubstr("PRIVATE KEY")));
  EXPECT_EQ(paddock({"audit", "verify", run_ids().at(0)}).status, 0);
}

TEST_P(Audit, ExportedBundleVerifiesElsewhereOnlyWithTheKey) {
  ASSERT_EQ(paddock_run({}, {"true"}).status, 0);
  const std::string bundle = root_ + "/run.paddock-audit";
  auto r = paddock({"audit", "export", "-o", bundle});
  ASSERT_EQ(r.status, 0) << r.err;
  auto key = paddock({"audit", "key"});
  ASSERT_THAT(key.out, HasSubstr("BEGIN PUBLIC KEY"));
  write_file(root_ + "/key.pem", key.out);
  // Another machine: another HOME, no key of its own.
  auto env = environment();
  for (auto& v : env)
    if (v.starts_with("HOME=")) v = "HOME=" + root_ + "/elsewhere";
  ProcessOptions elsewhere;
  elsewhere.env = env;
  r = paddock({"audit", "verify", bundle}, elsewhere);
  EXPECT_EQ(r.status, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("--public-key"));
  r = paddock({"audit", "verify", bundle, "--public-key", root_ + "/key.pem"}, elsewhere);
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr(": ok: "));
}

TEST_P(Audit, PruneKeepsTheNewestAndBadInputGetsOneLine) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(paddock_run({}, {"true"}).status, 0);
  auto r = paddock({"runs", "prune"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("--keep N"));
  for (const char* bad : {"soon", "-1d", "7"}) {
    r = paddock({"runs", "prune", "--older-than", bad});
    EXPECT_EQ(r.status, 2) << bad;
    EXPECT_THAT(r.err, HasSubstr("give an age such as")) << bad;
  }
  r = paddock({"runs", "prune", "--older-than", "1d12h"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(run_ids().size(), 3u) << "nothing is that old";
  r = paddock({"runs", "prune", "--keep", "1"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("removed 2 of 3 runs"));
  EXPECT_EQ(run_ids().size(), 1u);
  r = paddock({"audit", "verify", "nosuchrun"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("no run nosuchrun"));
}

}  // namespace
}  // namespace paddock::testing
