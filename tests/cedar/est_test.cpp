#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cedar/est.hpp"
#include "cedar/format.hpp"
#include "cedar/parser.hpp"

namespace paddock::cedar {
namespace {

using nlohmann::json;

std::vector<PolicyAst> parse(const std::string& text, LiteralStore& store) {
  auto parsed = parse_policies(std::make_shared<const Source>(Source{"p.cedar", text}), store);
  EXPECT_TRUE(parsed.diagnostics.empty()) << render(parsed.diagnostics);
  return std::move(parsed.policies);
}

// text -> AST -> JSON -> AST prints the same as the original AST.
void expect_round_trip(const std::string& text) {
  LiteralStore store;
  for (const auto& p : parse(text, store)) {
    json j = policy_to_json(p);
    PolicyAst back = policy_from_json(json::parse(j.dump()), store);
    EXPECT_EQ(format_policy(back), format_policy(p)) << j.dump();
  }
}

TEST(CedarEst, MatchesTheReferenceShape) {
  LiteralStore store;
  auto p = parse(R"(@id("x") @y permit(principal is User in G::"g", action in [Action::"a", Action::"b"], resource)
      when { context.a like "a*b\*c" && principal.getTag("t") == -5 && ip("1.2.3.4").isInRange(ip("1.0.0.0/8")) };)",
                 store);
  json j = policy_to_json(p.at(0));
  EXPECT_EQ(j["principal"], json::parse(R"({"op":"is","entity_type":"User","in":{"entity":{"type":"G","id":"g"}}})"));
  EXPECT_EQ(j["action"]["entities"].size(), 2u);
  EXPECT_EQ(j["resource"], json::parse(R"({"op":"All"})"));
  EXPECT_EQ(j["annotations"], json::parse(R"({"id":"x","y":""})"));
  const json& body = j["conditions"][0]["body"]["&&"];
  EXPECT_EQ(body["right"],
            json::parse(R"({"isInRange":[{"ip":[{"Value":"1.2.3.4"}]},{"ip":[{"Value":"1.0.0.0/8"}]}]})"));
  EXPECT_EQ(body["left"]["&&"]["left"]["like"]["pattern"],
            json::parse(R"([{"Literal":"a"},"Wildcard",{"Literal":"b*c"}])"));
}

TEST(CedarEst, RoundTripsEveryConstruct) {
  expect_round_trip(R"(
    permit(principal == ?principal, action == Action::"a", resource in ?resource)
    when { if context.x then !(-context.n < 3) else [1, {a: 2, "b c": principal}].contains(ip("::1")) }
    unless { resource is F in principal || context has a || context.s.isEmpty() || principal.hasTag("t") };
    forbid(principal in G::"g", action, resource is R) when { 1 + 2 * 3 - 4 != 5 && "x" like "*" && datetime("2024-01-01").toDate() >= datetime("2024-01-01") };
  )");
}

TEST(CedarEst, RejectsMalformedPolicies) {
  LiteralStore store;
  auto bad = [&](const char* text) { EXPECT_THROW(policy_from_json(json::parse(text), store), PolicyError) << text; };
  bad(R"({"effect":"allow","principal":{"op":"All"},"action":{"op":"All"},"resource":{"op":"All"}})");
  bad(R"({"effect":"permit","principal":{"op":"All"},"action":{"op":"==","entity":{"type":"A","id":"x"}},"resource":{"op":"All"}})");
  bad(R"({"effect":"permit","principal":{"op":"All"},"action":{"op":"All"},"resource":{"op":"==","slot":"?principal"}})");
  bad(R"({"effect":"permit","principal":{"op":"All"},"action":{"op":"All"},"resource":{"op":"All"},
          "conditions":[{"kind":"when","body":{"nope":{}}}]})");
  bad(R"({"effect":"permit","principal":{"op":"All"},"action":{"op":"All"},"resource":{"op":"All"},
          "conditions":[{"kind":"when","body":{"contains":[{"Value":1}]}}]})");
  std::string deep = R"({"Value":true})";
  for (int i = 0; i < 1000; ++i) deep = R"({"!":{"arg":)" + deep + "}}";
  EXPECT_THROW(expr_from_json(json::parse(deep), store), PolicyError);
}

TEST(CedarEst, RoundTripsTheWholeCorpus) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(PADDOCK_CEDAR_CORPUS) / "corpus-tests";
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".cedar") continue;
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    expect_round_trip(ss.str());
    ++count;
  }
  EXPECT_GT(count, 1000u);
}

}  // namespace
}  // namespace paddock::cedar
