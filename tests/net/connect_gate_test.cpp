// The two-step NetworkConnect decision with a resolver the test controls: names are decided
// before they are resolved, and every resolved address again (rebinding, row 42).
#include "net/connect_gate.hpp"

#include <utility>  // first: Boost 1.74's asio/awaitable.hpp uses std::exchange without it

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <map>

#include "policy/loader.hpp"
#include "policy/profiles.hpp"

namespace paddock::net {
namespace {

namespace asio = boost::asio;

class FakeResolver : public Resolver {
 public:
  std::map<std::string, std::vector<std::string>> table;
  std::vector<std::string> asked;
  asio::awaitable<Resolution> resolve(std::string name) override {
    asked.push_back(name);
    Resolution out;
    if (auto it = table.find(name); it != table.end())
      for (const auto& text : it->second) out.addresses.push_back(asio::ip::make_address(text));
    else
      out.error = name + " does not resolve";
    co_return out;
  }
};

class Gate : public ::testing::Test {
 protected:
  ConnectOutcome decide(const std::string& extra, const std::string& host, std::uint16_t port,
                        const std::string& profile = "standard") {
    auto files = policy::policy_files(policy::find_profile(profile), {});
    if (!extra.empty()) files.push_back({"test.cedar", extra});
    policy::PolicyEngine engine(policy::load_policy_set(files), {"agent", "proj"}, {});
    ConnectGate gate(engine, resolver);
    asio::io_context io;
    ConnectOutcome outcome;
    const ConnectTarget target{host, port, "connect"};  // named: see Session::open_upstream
    asio::co_spawn(io, gate.decide(target), [&](std::exception_ptr e, ConnectOutcome result) {
      if (e) std::rethrow_exception(e);
      outcome = std::move(result);
    });
    io.run();
    return outcome;
  }
  FakeResolver resolver;
};

TEST_F(Gate, PublicNameIsResolvedAndPinned) {
  resolver.table["api.example.com"] = {"93.184.215.14", "2606:2800::1"};
  auto outcome = decide("", "api.example.com", 443);
  EXPECT_TRUE(outcome.allowed) << outcome.reason;
  ASSERT_EQ(outcome.endpoints.size(), 2u);
  EXPECT_EQ(outcome.endpoints[0].address().to_string(), "93.184.215.14");
  EXPECT_EQ(outcome.ip, "93.184.215.14");
}

TEST_F(Gate, DeniedNamesAreNeverResolved) {
  resolver.table["exfil.example.com"] = {"93.184.215.14"};
  auto outcome = decide("", "exfil.example.com", 443, "strict");
  EXPECT_FALSE(outcome.allowed);
  EXPECT_FALSE(outcome.unresolved);
  EXPECT_TRUE(resolver.asked.empty()) << "a denied name must not reach any resolver (row 40)";
}

TEST_F(Gate, RebindingToLoopbackIsRefused) {
  resolver.table["rebind.example.com"] = {"127.0.0.1"};
  auto outcome = decide("", "rebind.example.com", 443);
  EXPECT_FALSE(outcome.allowed);
  EXPECT_EQ(outcome.ip, "127.0.0.1");
  EXPECT_NE(outcome.reason.find("loopback"), std::string::npos) << outcome.reason;
  EXPECT_NE(outcome.reason.find("127.0.0.1:443"), std::string::npos) << "says what a policy must name";
}

TEST_F(Gate, MixedAnswersPinOnlyThePublicAddresses) {
  resolver.table["mixed.example.com"] = {"10.0.0.5", "93.184.215.14"};
  auto outcome = decide("", "mixed.example.com", 443);
  EXPECT_TRUE(outcome.allowed);
  ASSERT_EQ(outcome.endpoints.size(), 1u);
  EXPECT_EQ(outcome.endpoints[0].address().to_string(), "93.184.215.14");
}

TEST_F(Gate, MetadataAndPrivateLiteralsInEveryForm) {
  for (const char* host : {"169.254.169.254", "10.0.0.1", "127.0.0.1", "::1", "fd00::1", "100.64.0.1"}) {
    auto outcome = decide("", host, 80);
    EXPECT_FALSE(outcome.allowed) << host;
  }
  EXPECT_TRUE(resolver.asked.empty()) << "literals are never resolved";
}

TEST_F(Gate, APolicyNamingTheAddressAllowsIt) {
  const std::string allow =
      R"(permit (principal, action == Action::"NetworkConnect", resource == Host::"127.0.0.1:8080");)";
  EXPECT_TRUE(decide(allow, "127.0.0.1", 8080).allowed);
  EXPECT_FALSE(decide(allow, "127.0.0.1", 8081).allowed) << "another port";
  resolver.table["local.test"] = {"127.0.0.1"};
  EXPECT_FALSE(decide(allow, "local.test", 8080, "strict").allowed) << "the name is not allowed in strict";
  EXPECT_TRUE(decide(allow, "local.test", 8080).allowed) << "standard allows the name, the policy the address";
}

TEST_F(Gate, ContextIpRulesSeeTheResolvedAddress) {
  resolver.table["api.example.com"] = {"93.184.215.14"};
  const std::string forbid = R"(forbid (principal, action == Action::"NetworkConnect", resource)
    when { context has ip && context.ip.isInRange(ip("93.184.0.0/16")) };)";
  auto outcome = decide(forbid, "api.example.com", 443);
  EXPECT_FALSE(outcome.allowed);
  EXPECT_EQ(outcome.ip, "93.184.215.14");
}

TEST_F(Gate, UnresolvableAllowedNameIsNotAPolicyDenial) {
  auto outcome = decide("", "nowhere.example.com", 443);
  EXPECT_FALSE(outcome.allowed);
  EXPECT_TRUE(outcome.unresolved);
  EXPECT_NE(outcome.reason.find("does not resolve"), std::string::npos);
}

}  // namespace
}  // namespace paddock::net
