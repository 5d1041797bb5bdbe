// Malformed or extreme input never crashes or hangs: each case here must end quickly with an
// answer or a reported error.
#include <gtest/gtest.h>

#include "cedar/diagnostics.hpp"
#include "cedar_test_util.hpp"

namespace paddock::cedar {
namespace {

using nlohmann::json;

TEST(CedarRobustness, EnormousSetLiteralsParseAndEvaluate) {
  std::string set = "[";
  for (int i = 0; i < 100000; ++i) set += std::to_string(i % 5000) + ",";
  set += "0]";
  auto r = testing::eval(set + ".contains(4999) && !" + set + ".contains(5000)");
  ASSERT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.value, "true");
}

TEST(CedarRobustness, InvalidUtf8InJsonIsAnError) {
  EXPECT_THROW(parse_json_text("[{\"uid\": {\"type\": \"U\", \"id\": \"\xff\"}}]", "entities"), PolicyError);
  EXPECT_THROW(parse_json_text("{\"a\": \"\xc0\xaf\"}", "context"), PolicyError);
}

TEST(CedarRobustness, HugeIntegerLiteralsAreErrorsNotWraps) {
  LiteralStore store;
  // nlohmann reads it as a double; Cedar values are exact integers, so it is rejected.
  EXPECT_THROW(value_from_json(parse_json_text("123456789012345678901234567890", "v"), store, "v"), PolicyError);
  EXPECT_THROW(testing::policies("permit(principal, action, resource) when { 99999999999999999999 > 0 };"),
               PolicyError);
}

TEST(CedarRobustness, ManyPoliciesCompileAndIndex) {
  std::string text;
  for (int i = 0; i < 10000; ++i)
    text += "permit(principal == User::\"u" + std::to_string(i) + "\", action == Action::\"a" + std::to_string(i % 50) +
            "\", resource);\n";
  auto set = testing::policies(text);
  EXPECT_EQ(set->policies().size(), 10000u);
  EmptyEntities none;
  auto r = testing::authorize(*set, none, EntityUid("User", "u7"), EntityUid("Action", "a7"), EntityUid("R", "r"));
  EXPECT_EQ(r.reason, std::set<std::string>{"policy7"});
  EXPECT_EQ(r.candidates, 200u);  // only the policies of action a7
}

TEST(CedarRobustness, LongHierarchiesAnswerMembershipQuickly) {
  json list = json::array();
  for (int i = 0; i < 3000; ++i) {
    json parents = json::array();
    if (i + 1 < 3000) parents.push_back({{"type", "G"}, {"id", std::to_string(i + 1)}});
    list.push_back(
        {{"uid", {{"type", "G"}, {"id", std::to_string(i)}}}, {"attrs", json::object()}, {"parents", parents}});
  }
  EntityStore store;
  load_entities_json(list, store);
  store.finish();
  auto set = testing::policies("permit(principal in G::\"2999\", action, resource);");
  auto r = testing::authorize(*set, store, EntityUid("G", "0"), EntityUid("Action", "a"), EntityUid("R", "r"));
  EXPECT_EQ(r.decision, "allow");
}

TEST(CedarRobustness, ErrorsInEveryPolicyStillGiveADecision) {
  std::string text;
  for (int i = 0; i < 100; ++i)
    text += "permit(principal, action, resource) when { principal.missing" + std::to_string(i) + " };\n";
  auto set = testing::policies(text);
  EmptyEntities none;
  auto r = testing::authorize(*set, none, EntityUid("User", "u"), EntityUid("Action", "a"), EntityUid("R", "r"));
  EXPECT_EQ(r.decision, "deny");
  EXPECT_EQ(r.errors.size(), 100u);
}

}  // namespace
}  // namespace paddock::cedar
