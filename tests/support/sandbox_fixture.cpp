#include "support/sandbox_fixture.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace paddock::testing {

std::string mode_name(const ::testing::TestParamInfo<Mode>& info) {
  return info.param == Mode::root ? "root" : "unprivileged";
}

std::string paddock_binary() {
  return PADDOCK_BINARY;
}
std::string probe_binary() {
  return PADDOCK_PROBE;
}

unsigned SandboxTest::uid() const {
  return privileged() ? 0 : (::getuid() == 0 ? kUnprivilegedUid : ::getuid());
}

void SandboxTest::SetUp() {
  if (privileged() && ::getuid() != 0) GTEST_SKIP() << "root mode needs the tests to run as root";
  char dir[] = "/tmp/paddock-test-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  root_ = dir;
  workspace_ = root_ + "/ws";
  home_ = root_ + "/home";
  fs::create_directories(workspace_);
  fs::create_directories(home_);
  ::chmod(root_.c_str(), 0755);
  for (const auto& p : {root_, workspace_, home_}) ASSERT_EQ(::chown(p.c_str(), uid(), uid()), 0);
}

void SandboxTest::TearDown() {
  std::error_code ec;
  if (!outside_.empty()) fs::remove_all(outside_, ec);
  if (!root_.empty()) fs::remove_all(root_, ec);
}

std::string SandboxTest::outside_directory() {
  if (!outside_.empty()) return outside_;
  fs::create_directories("/srv");
  char dir[] = "/srv/paddock-test-XXXXXX";
  if (::mkdtemp(dir) == nullptr) throw std::runtime_error("mkdtemp under /srv");
  outside_ = dir;
  ::chmod(dir, 0755);
  if (::chown(dir, uid(), uid()) != 0) throw std::runtime_error("chown " + outside_);
  return outside_;
}

std::vector<std::string> SandboxTest::as_user(std::vector<std::string> argv) const {
  if (privileged() || ::getuid() != 0) return argv;
  std::vector<std::string> prefix = {"setpriv", "--reuid=" + std::to_string(kUnprivilegedUid),
                                     "--regid=" + std::to_string(kUnprivilegedUid), "--clear-groups", "--"};
  prefix.insert(prefix.end(), argv.begin(), argv.end());
  return prefix;
}

std::vector<std::string> SandboxTest::environment() const {
  return {"HOME=" + home_, "PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG=C.UTF-8",
          "USER=" + std::string(privileged() ? "root" : "nobody")};
}

ProcessResult SandboxTest::paddock(const std::vector<std::string>& args, ProcessOptions process) {
  std::vector<std::string> argv = {paddock_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  if (!process.env) process.env = environment();
  if (process.cwd.empty()) process.cwd = workspace_;
  return run_process(as_user(argv), process);
}

ProcessResult SandboxTest::paddock_run(const std::vector<std::string>& options, const std::vector<std::string>& command,
                                       ProcessOptions process) {
  std::vector<std::string> args = {"run"};
  args.insert(args.end(), options.begin(), options.end());
  args.emplace_back("--");
  args.insert(args.end(), command.begin(), command.end());
  return paddock(args, std::move(process));
}

pid_t SandboxTest::spawn_paddock_run(const std::vector<std::string>& options, const std::vector<std::string>& command) {
  std::vector<std::string> argv = {paddock_binary(), "run"};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.emplace_back("--");
  argv.insert(argv.end(), command.begin(), command.end());
  return spawn_background(as_user(argv), {.env = environment(), .cwd = workspace_});
}

std::vector<std::string> SandboxTest::via_proxy_to_loopback(std::vector<std::string> options) {
  options.insert(options.end(), {"--env", "NO_PROXY=", "--env", "no_proxy="});
  return options;
}

ProcessResult SandboxTest::probe(const std::vector<std::string>& args, const std::vector<std::string>& options) {
  std::vector<std::string> opts = {"--mount", probe_binary() + ":/paddock-probe:ro"};
  opts.insert(opts.end(), options.begin(), options.end());
  std::vector<std::string> command = {"/paddock-probe"};
  command.insert(command.end(), args.begin(), args.end());
  return paddock_run(opts, command);
}

std::vector<nlohmann::json> SandboxTest::audit_events(const std::string& kind) {
  auto query = paddock({"audit", "query", "--kind", kind, "--json"});
  EXPECT_EQ(query.status, 0) << query.err;
  std::vector<nlohmann::json> events;
  std::istringstream lines(query.out);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) events.push_back(nlohmann::json::parse(line).at("event"));
  return events;
}

void SandboxTest::write_file(const std::string& path, const std::string& content) const {
  fs::path p(path);
  fs::create_directories(p.parent_path());
  std::ofstream(p) << content;
  const std::string& base = !outside_.empty() && path.rfind(outside_, 0) == 0 ? outside_ : root_;
  for (fs::path q = p; q.string().size() > base.size(); q = q.parent_path())
    EXPECT_EQ(::chown(q.c_str(), uid(), uid()), 0);
}

void SandboxTest::make_git_repository() const {
  auto r = run_process(as_user({"git", "init", "-q", workspace_}), {.env = environment()});
  ASSERT_EQ(r.status, 0) << r.err;
}

}  // namespace paddock::testing
