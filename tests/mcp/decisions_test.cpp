// The supervisor's MCP decisions with a real policy engine: McpCall verdicts on the call's
// arguments as Cedar sees them, which tools a tools/list hides, and what each records.
#include "mcp/decisions.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "policy/loader.hpp"

namespace paddock::mcp {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct RecordingSink : audit::Sink {
  std::vector<audit::McpCall> events;
  void record(audit::Event&& event) noexcept override {
    if (auto* call = std::get_if<audit::McpCall>(&event.body)) events.push_back(*call);
  }
};

class DecisionsTest : public ::testing::Test {
 protected:
  McpDecisions decisions_for(const std::string& policies) {
    engine =
        std::make_unique<policy::PolicyEngine>(policy::load_policy_set({{"t.cedar", policies}}),
                                               policy::Identity{"agent", "sandbox"}, std::vector<policy::Location>{});
    return McpDecisions(*engine, sink, [this](const std::string& line) { printed.push_back(line); });
  }
  std::unique_ptr<policy::PolicyEngine> engine;
  RecordingSink sink;
  std::vector<std::string> printed;
};

TEST_F(DecisionsTest, TheCallsArgumentsAreTheContextPoliciesRead) {
  auto d = decisions_for(R"(
permit (principal, action == Action::"McpCall", resource);
@id("deep") forbid (principal, action == Action::"McpCall", resource) when { context.arguments.options.depth > 3 };
@id("ratio") forbid (principal, action == Action::"McpCall", resource) when { context.arguments.ratio == "0.5" };
@id("tags") forbid (principal, action == Action::"McpCall", resource) when { context.arguments.tags.contains("x") };
@id("server") forbid (principal, action == Action::"McpCall", resource) when { resource in MCP::Server::"bad" };
@id("note") forbid (principal, action == Action::"McpCall", resource) when { context.arguments has note };
)");
  EXPECT_TRUE(d.call("fs", "read", {{"path", "/a"}, {"options", {{"depth", 2}}}, {"note", nullptr}}).at("allowed"));
  EXPECT_FALSE(d.call("fs", "read", {{"options", {{"depth", 4}}}}).at("allowed")) << "nested records";
  EXPECT_FALSE(d.call("fs", "read", {{"ratio", 0.5}}).at("allowed")) << "a float is its JSON text";
  EXPECT_FALSE(d.call("fs", "read", {{"tags", {"y", "x"}}}).at("allowed")) << "an array is a set";
  EXPECT_FALSE(d.call("bad", "read", json()).at("allowed")) << "the tool is in its server";
  EXPECT_TRUE(d.call("fs", "read", json()).at("allowed")) << "no arguments: the empty record";
  EXPECT_FALSE(d.call("fs", "read", {{"note", "n"}}).at("allowed"));
  // (the first call's note is null: Cedar has no null, so the member is left out)
  ASSERT_EQ(sink.events.size(), 7u);
  EXPECT_EQ(sink.events[1].method, "tools/call");
  EXPECT_EQ(sink.events[1].tool, "read");
  EXPECT_EQ(sink.events[1].arguments, R"({"options":{"depth":4}})");
  EXPECT_FALSE(sink.events[1].decision.allowed);
  EXPECT_EQ(sink.events[1].decision.policies.at(0).id, "deep");
  ASSERT_EQ(printed.size(), 5u) << "one denial line per refusal";
  EXPECT_THAT(printed[0], HasSubstr("paddock: denied MCP tool read of server fs by deep (t.cedar:3)"));
}

TEST_F(DecisionsTest, ARefusalSaysWhatToDo) {
  auto d = decisions_for("");
  const json answer = d.call("fs", "read", json::object());
  EXPECT_FALSE(answer.at("allowed"));
  EXPECT_THAT(answer.at("message").get<std::string>(), HasSubstr("paddock allow mcp fs/read"));
}

TEST_F(DecisionsTest, ListsHideOnlyToolsNoCallCouldUse) {
  auto unconditional = decisions_for(R"(
permit (principal, action == Action::"McpCall", resource);
@id("no-delete") forbid (principal, action == Action::"McpCall", resource == MCP::Tool::"delete");
@id("no-secrets") forbid (principal, action == Action::"McpCall", resource)
  when { context.arguments has path && context.arguments.path like "*secret*" };
)");
  EXPECT_EQ(unconditional.list("fs", {"read", "delete"}).at("listed"), json({"read"}));
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].method, "tools/list");
  EXPECT_EQ(sink.events[0].tool, "delete");
  EXPECT_EQ(sink.events[0].decision.reason, "hidden from tools/list");

  // A forbid whose condition reads the arguments may refuse the empty ones and allow others.
  auto on_arguments = decisions_for(R"(
permit (principal, action == Action::"McpCall", resource);
forbid (principal, action == Action::"McpCall", resource == MCP::Tool::"write")
  unless { context.arguments has path };
)");
  EXPECT_EQ(on_arguments.list("fs", {"write"}).at("listed"), json({"write"}));

  // The default deny: hidden, unless a permit reading the arguments could allow some call.
  EXPECT_EQ(decisions_for("").list("fs", {"read"}).at("listed"), json::array());
  auto permit_on_arguments = decisions_for(R"(
permit (principal, action == Action::"McpCall", resource == MCP::Tool::"read")
  when { context.arguments.path like "/ws/*" };
)");
  EXPECT_EQ(permit_on_arguments.list("fs", {"read", "write"}).at("listed"), json({"read", "write"}));
}

TEST_F(DecisionsTest, RequestLinesAndTheirErrors) {
  auto d = decisions_for(R"(permit (principal, action == Action::"McpCall", resource);)");
  EXPECT_EQ(json::parse(d.answer(R"({"method":"tools/call","server":"fs","tool":"read","arguments":{}})")),
            json({{"allowed", true}}));
  EXPECT_EQ(json::parse(d.answer(R"({"method":"tools/list","server":"fs","tools":["a"]})")), json({{"listed", {"a"}}}));
  for (const char* bad : {"", "[]", R"({"method":"tools/call"})", R"({"method":"x","server":"fs"})"})
    EXPECT_TRUE(json::parse(d.answer(bad)).contains("error")) << bad;
}

TEST_F(DecisionsTest, RecordedArgumentsAreCut) {
  auto d = decisions_for(R"(permit (principal, action == Action::"McpCall", resource);)");
  d.call("fs", "write", {{"content", std::string(10000, 'x')}});
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].arguments.size(), 4096u + 3);
  EXPECT_TRUE(sink.events[0].arguments.ends_with("..."));
}

}  // namespace
}  // namespace paddock::mcp
