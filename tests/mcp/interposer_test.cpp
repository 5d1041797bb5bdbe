// The interposer between an MCP client and a stdio server, message by message, with a decider
// that refuses one tool: what reaches the server, what the client is answered, and what a
// tools/list result keeps.
#include "mcp/interposer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace paddock::mcp {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct FakeDecider : Decider {
  std::vector<std::pair<std::string, json>> calls;
  CallAnswer call(const std::string& server, const std::string& tool, const json& arguments) override {
    calls.emplace_back(server + "/" + tool, arguments);
    if (tool == "delete") return {false, "paddock: denied MCP tool delete"};
    return {true, ""};
  }
  std::set<std::string> listed(const std::string&, const std::vector<std::string>& tools) override {
    std::set<std::string> out(tools.begin(), tools.end());
    out.erase("delete");
    return out;
  }
};

class InterposerTest : public ::testing::Test {
 protected:
  FakeDecider decider;
  Interposer interposer{"fs", decider};
};

TEST_F(InterposerTest, AnAllowedCallReachesTheServerAsDecided) {
  auto relay = interposer.from_client(
      R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"read","arguments":{"path":"/a"}}})");
  EXPECT_THAT(relay.to_client, IsEmpty());
  EXPECT_EQ(json::parse(relay.to_server).at("params").at("arguments").at("path"), "/a");
  ASSERT_EQ(decider.calls.size(), 1u);
  EXPECT_EQ(decider.calls[0].first, "fs/read");
  EXPECT_EQ(decider.calls[0].second, json({{"path", "/a"}}));
}

TEST_F(InterposerTest, ARefusedCallIsAnsweredHereWithAnErrorResult) {
  auto relay = interposer.from_client(
      R"({"jsonrpc":"2.0","id":"x1","method":"tools/call","params":{"name":"delete","arguments":{}}})");
  EXPECT_THAT(relay.to_server, IsEmpty()) << "never passed on";
  const json answer = json::parse(relay.to_client);
  EXPECT_EQ(answer.at("id"), "x1") << "the same id, as the client sent it";
  EXPECT_TRUE(answer.at("result").at("isError").get<bool>());
  EXPECT_EQ(answer.at("result").at("content").at(0).at("text"), "paddock: denied MCP tool delete");
}

TEST_F(InterposerTest, CallsWithoutANameAndNotificationsAreNotPassedOn) {
  auto nameless = interposer.from_client(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{}})");
  EXPECT_THAT(nameless.to_server, IsEmpty());
  EXPECT_THAT(nameless.to_client, HasSubstr("without a tool name"));
  auto notification = interposer.from_client(R"({"jsonrpc":"2.0","method":"tools/call","params":{"name":"delete"}})");
  EXPECT_THAT(notification.to_server, IsEmpty()) << "a refused call sent as a notification is dropped";
  EXPECT_THAT(notification.to_client, IsEmpty()) << "and gets no answer (it has no id)";
}

TEST_F(InterposerTest, WhatIsNotJsonOrHasDuplicateKeysNeverReachesTheServer) {
  for (const char* line : {"not json", R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read",)"
                                       R"("name":"delete"}})"}) {
    auto relay = interposer.from_client(line);
    EXPECT_THAT(relay.to_server, IsEmpty()) << line;
    EXPECT_EQ(json::parse(relay.to_client).at("error").at("code"), -32700) << line;
  }
  EXPECT_THAT(decider.calls, IsEmpty()) << "another parser could have read the other name";
}

TEST_F(InterposerTest, ABatchIsDecidedMessageByMessage) {
  auto relay = interposer.from_client(R"([{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read"}},)"
                                      R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"delete"}},)"
                                      R"({"jsonrpc":"2.0","method":"notifications/initialized"}])");
  const json forwarded = json::parse(relay.to_server);
  ASSERT_EQ(forwarded.size(), 2u);
  EXPECT_EQ(forwarded[0].at("id"), 1);
  EXPECT_EQ(forwarded[1].at("method"), "notifications/initialized");
  const json answers = json::parse(relay.to_client);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].at("id"), 2);
}

TEST_F(InterposerTest, AToolsListResultLosesTheHiddenTools) {
  interposer.from_client(R"({"jsonrpc":"2.0","id":5,"method":"tools/list"})");
  const std::string line = interposer.from_server(
      R"({"jsonrpc":"2.0","id":5,"result":{"tools":[{"name":"read"},{"name":"delete"},{"title":"no name"}]}})");
  const json tools = json::parse(line).at("result").at("tools");
  ASSERT_EQ(tools.size(), 1u);
  EXPECT_EQ(tools[0].at("name"), "read");
}

TEST_F(InterposerTest, IdsArePerDirection) {
  interposer.from_client(R"({"jsonrpc":"2.0","id":0,"method":"tools/list"})");
  // The server's own request with the same id is not the client's list: untouched.
  const std::string request = R"({"jsonrpc":"2.0","id":0,"method":"roots/list"})";
  EXPECT_EQ(interposer.from_server(request), request);
  // A response of the client's to a server request passes to the server untouched.
  auto relay = interposer.from_client(R"({"jsonrpc":"2.0","id":0,"result":{"roots":[]}})");
  EXPECT_EQ(json::parse(relay.to_server).at("result"), json({{"roots", json::array()}}));
  // Only the response to the client's request is filtered, and only once.
  const std::string response = R"({"jsonrpc":"2.0","id":0,"result":{"tools":[{"name":"delete"}]}})";
  EXPECT_THAT(json::parse(interposer.from_server(response)).at("result").at("tools"), IsEmpty());
  EXPECT_EQ(interposer.from_server(response), response);
}

TEST_F(InterposerTest, TheServersOtherLinesPassAndNonJsonIsDropped) {
  const std::string result = R"({"jsonrpc":"2.0","id":9,"result":{"content":[]}})";
  EXPECT_EQ(interposer.from_server(result), result);
  EXPECT_THAT(interposer.from_server("Server running on stdio"), IsEmpty());
}

}  // namespace
}  // namespace paddock::mcp
