// File events of real runs (DESIGN.md: file access "observed via fanotify (root)"): as root, each
// file the sandbox closes in the workspace and its scratch trees is an audit record with its path
// as the sandbox sees it and the policy's answer, including a forbid on context.path that the
// kernel layers could not apply; the system trees are not recorded; unprivileged runs record none
// and still run.

#include <nlohmann/json.hpp>

#include "support/sandbox_fixture.hpp"

namespace paddock::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

class FileEvents : public SandboxTest {
 protected:
  // The file events of every run so far, as the audit trail has them.
  std::vector<nlohmann::json> file_events() { return audit_events("file"); }
  static const nlohmann::json* find(const std::vector<nlohmann::json>& events, const std::string& path,
                                    const std::string& access) {
    for (const auto& e : events)
      if (e.at("path") == path && e.at("access") == access) return &e;
    return nullptr;
  }
};
INSTANTIATE_TEST_SUITE_P(Modes, FileEvents, ::testing::Values(Mode::root, Mode::unprivileged), mode_name);

TEST_P(FileEvents, EachFileClosedInTheWorkspaceAndScratchTreesIsARecord) {
  write_file(workspace_ + "/existing", "data\n");
  // The shell stays alive (sleep) while its own writes are read, so their pid is known; the last
  // events are read after the sandbox has gone, and still carry the paths inside it.
  auto r = paddock_run({"--file-log"}, {"sh", "-c",
                                        "echo x > new; cat existing > /dev/null; echo t > /tmp/t; echo s > /dev/shm/s; "
                                        "echo v > /var/tmp/v; echo h > \"$HOME/h\"; cat /etc/hostname > /dev/null; "
                                        "exec 3> gone; rm gone; echo x >&3; exec 3>&-; sleep 0.5; echo late > late"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto events = file_events();
  if (!privileged()) {
    EXPECT_THAT(events, IsEmpty()) << "fanotify needs root: unprivileged runs record no file events";
    EXPECT_THAT(r.err, Not(HasSubstr("paddock: file ")));
    return;
  }
  for (const std::string& path :
       {workspace_ + "/new", std::string("/tmp/t"), std::string("/dev/shm/s"), std::string("/var/tmp/v"), home_ + "/h",
        workspace_ + "/gone", workspace_ + "/late"}) {
    const auto* e = find(events, path, "write");
    ASSERT_NE(e, nullptr) << path << " written; the run printed:\n" << r.err;
    EXPECT_TRUE(e->at("decision").at("allowed").get<bool>()) << *e;
    EXPECT_EQ(e->at("decision").at("policies").at(0).at("id"), "strict-files") << *e;
  }
  EXPECT_EQ(find(events, workspace_ + "/new", "write")->at("pid"), 2) << "the shell, as the sandbox numbers it";
  EXPECT_NE(find(events, workspace_ + "/existing", "read"), nullptr) << r.err;
  for (const auto& e : events) {
    const std::string path = e.at("path");
    EXPECT_FALSE(path.starts_with("/etc/") || path.starts_with("/usr/")) << "system trees are not observed: " << e;
    EXPECT_THAT(path, Not(HasSubstr("(deleted)"))) << e;
  }
  EXPECT_THAT(r.err, HasSubstr("paddock: file pid 2 write " + workspace_ + "/new\n")) << "--file-log prints them";
  auto verify = paddock({"audit", "verify"});
  EXPECT_EQ(verify.status, 0) << verify.out << verify.err;
}

TEST_P(FileEvents, NoFileEventsTurnsObservationOff) {
  auto r = paddock_run({"--no-file-events"}, {"sh", "-c", "echo x > new; cat new"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(file_events(), IsEmpty());
  auto both = paddock_run({"--no-file-events", "--file-log"}, {"true"});
  EXPECT_EQ(both.status, 2) << "contradicting flags are a usage error";
  EXPECT_THAT(both.err, HasSubstr("excludes"));
}

TEST_P(FileEvents, AForbidOnContextPathThatTheKernelCannotApplyIsSaidAndRecordedAsDenied) {
  const std::string policy = root_ + "/no-env.cedar";
  write_file(policy, R"(@id("no-env-files")
forbid (principal, action in [Action::"FileOpenReadOnly", Action::"FileOpenReadWrite"], resource)
when { context.path like "*.env" };
)");
  write_file(workspace_ + "/app.env", "TOKEN=1\n");
  auto check = paddock({"policy", "check", policy});
  EXPECT_EQ(check.status, 0) << check.err;
  EXPECT_THAT(check.out, HasSubstr("the kernel layers decide the condition on context.path only at the directories"));

  auto r = paddock_run({"--policy", policy}, {"sh", "-c", "cat app.env; cat /etc/hostname > /dev/null"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "TOKEN=1\n") << "the kernel layers place directories, not patterns";
  EXPECT_THAT(r.err, HasSubstr("no-env-files (" + policy + ":1): its condition on context.path applies only at"))
      << "the run says so before the command starts";
  const auto events = file_events();
  if (!privileged()) {
    EXPECT_THAT(events, IsEmpty());
    return;
  }
  const auto* e = find(events, workspace_ + "/app.env", "read");
  ASSERT_NE(e, nullptr) << r.err;
  EXPECT_FALSE(e->at("decision").at("allowed").get<bool>()) << *e;
  EXPECT_EQ(e->at("decision").at("policies").at(0).at("id"), "no-env-files") << *e;
  EXPECT_THAT(e->at("decision").at("reason").get<std::string>(), HasSubstr("which the kernel layers allowed"));
  auto denials = paddock({"audit", "query", "--kind", "file", "--decision", "deny"});
  EXPECT_THAT(denials.out, HasSubstr(workspace_ + "/app.env"));
}

}  // namespace
}  // namespace paddock::testing
