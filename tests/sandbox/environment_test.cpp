#include "sandbox/environment.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/error.hpp"

namespace paddock::sandbox {
namespace {

using ::testing::Contains;
using ::testing::Not;

const Identity kIdentity{"/home/u", "u", "/work/p"};

TEST(Environment, KeepsOnlyTheAllowlist) {
  auto env = sandbox_environment({"PATH=/bin", "TERM=xterm", "LC_ALL=C", "AWS_SECRET_ACCESS_KEY=s", "SSH_AUTH_SOCK=/x",
                                  "GITHUB_TOKEN=t", "HOME=/root"},
                                 {}, kIdentity);
  EXPECT_THAT(env, Contains("PATH=/bin"));
  EXPECT_THAT(env, Contains("TERM=xterm"));
  EXPECT_THAT(env, Contains("LC_ALL=C"));
  EXPECT_THAT(env, Contains("HOME=/home/u"));
  EXPECT_THAT(env, Contains("PADDOCK_WORKSPACE=/work/p"));
  for (const auto& entry : env) {
    EXPECT_EQ(entry.find("SECRET"), std::string::npos) << entry;
    EXPECT_EQ(entry.find("SSH_AUTH_SOCK"), std::string::npos) << entry;
    EXPECT_EQ(entry.find("TOKEN"), std::string::npos) << entry;
  }
}

TEST(Environment, ExtraEntriesSetOrPassThrough) {
  auto env = sandbox_environment({"FROM_HOST=1", "TERM=xterm"}, {"A=b=c", "FROM_HOST", "TERM=dumb"}, kIdentity);
  EXPECT_THAT(env, Contains("A=b=c"));
  EXPECT_THAT(env, Contains("FROM_HOST=1"));
  EXPECT_THAT(env, Contains("TERM=dumb"));
  EXPECT_THAT(env, Not(Contains("TERM=xterm")));
}

TEST(Environment, DefaultPath) {
  auto env = sandbox_environment({}, {}, kIdentity);
  EXPECT_THAT(env, Contains("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
}

TEST(Environment, RejectsMalformedEntries) {
  EXPECT_THROW(sandbox_environment({}, {"=x"}, kIdentity), Error);
  EXPECT_THROW(sandbox_environment({}, {"1A=x"}, kIdentity), Error);
  EXPECT_THROW(sandbox_environment({}, {"A-B=x"}, kIdentity), Error);
  EXPECT_THROW(sandbox_environment({}, {"NOT_ON_HOST"}, kIdentity), Error);
}

}  // namespace
}  // namespace paddock::sandbox
