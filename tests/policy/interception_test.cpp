// Which hosts the proxy must read inside TLS, and which header rewrites it asks Cedar about.
#include "policy/interception.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "policy/loader.hpp"

namespace paddock::policy {
namespace {

std::shared_ptr<const cedar::PolicySet> load(const std::string& text) {
  return load_policy_set({{"p.cedar", text}});
}

TEST(RequestRules, AHostNamedInScopeOrInALeashWhenClauseIsIntercepted) {
  auto set = load(R"(
    permit (principal, action == Action::"HttpRequest", resource == Host::"api.example.com");
    permit (principal, action == Action::"HttpRewrite", resource)
      when { resource in [Host::"*.github.com", Host::"other.org:8443"] };
    permit (principal, action == Action::"NetworkConnect", resource == Host::"plain.example.com");
  )");
  EXPECT_TRUE(has_request_rules(*set, "api.example.com", 443));
  EXPECT_TRUE(has_request_rules(*set, "raw.github.com", 443)) << "inside the wildcard";
  EXPECT_TRUE(has_request_rules(*set, "other.org", 8443));
  EXPECT_FALSE(has_request_rules(*set, "other.org", 443)) << "another port";
  EXPECT_FALSE(has_request_rules(*set, "plain.example.com", 443)) << "connect rules need no interception";
  EXPECT_FALSE(has_request_rules(*set, "github.com", 443)) << "*.github.com is below github.com";
}

TEST(RequestRules, APermitForEveryHostDecidesNothingButAForbidDoes) {
  EXPECT_FALSE(has_request_rules(*load(R"(permit (principal, action == Action::"HttpRequest", resource);)"),
                                 "example.com", 443));
  EXPECT_FALSE(has_request_rules(
      *load(R"(permit (principal, action == Action::"HttpRequest", resource) when { context.host == "x" };)"),
      "example.com", 443));
  EXPECT_TRUE(has_request_rules(
      *load(R"(forbid (principal, action == Action::"HttpRequest", resource) when { context.method == "DELETE" };)"),
      "example.com", 443));
  EXPECT_TRUE(has_request_rules(*load(R"(forbid (principal, action, resource in Host::"*");)"), "example.com", 443))
      << "a forbid of every action on every host includes HttpRequest";
}

TEST(RewriteCandidates, LeashsHeaderAndValueEqualities) {
  auto set = load(R"(
    permit (principal, action == Action::"HttpRewrite", resource == Host::"api.example.com")
      when { context.header == "Authorization" && context.value == "Bearer abc" };
    permit (principal, action == Action::"HttpRewrite", resource == Host::"api.example.com")
      when { "x-team" == context.header && context.value == "blue" && principal == Agent::"a" };
    permit (principal, action == Action::"HttpRewrite", resource == Host::"elsewhere.com")
      when { context.header == "X-Other" && context.value == "1" };
    forbid (principal, action == Action::"HttpRewrite", resource)
      when { context.header == "X-Forbidden" && context.value == "1" };
    permit (principal, action == Action::"HttpRewrite", resource == Host::"api.example.com")
      when { context.header == "X-No-Value" };
  )");
  auto found = rewrite_candidates(*set, "api.example.com", 443);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].header, "Authorization");
  EXPECT_EQ(found[0].value, "Bearer abc");
  EXPECT_EQ(found[1].header, "x-team");
  EXPECT_EQ(found[1].value, "blue");
  EXPECT_TRUE(rewrite_candidates(*set, "unrelated.com", 443).empty());
}

}  // namespace
}  // namespace paddock::policy
