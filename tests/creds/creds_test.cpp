// The credential broker's pure parts: placeholders, host bindings, the swap, redaction, and the
// store's files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "creds/grants.hpp"
#include "creds/secret_store.hpp"

namespace paddock::creds {
namespace {

using ::testing::StartsWith;

TEST(Placeholder, KeepsTheVendorPrefixAndTheLengthAndIsNeverTheValue) {
  const std::string anthropic = "sk-ant-api03-" + std::string(95, 'x');
  auto p = make_placeholder(anthropic);
  EXPECT_THAT(p, StartsWith("sk-ant-api03-paddock"));
  EXPECT_EQ(p.size(), anthropic.size());
  EXPECT_THAT(make_placeholder("ghp_0123456789abcdefghijklmnopqrstuvwxyz"), StartsWith("ghp_paddock"));
  EXPECT_THAT(make_placeholder("0123456789abcdefghijklmnopqrstuvwxyz"), StartsWith("paddock"));
  // A short value still gets enough randomness that the placeholder cannot be guessed.
  auto short_one = make_placeholder("abc");
  EXPECT_GE(short_one.size(), std::string("paddock").size() + 16);
  EXPECT_NE(make_placeholder(anthropic), p) << "random, not derived from the value";
  for (char c : p.substr(std::string("sk-ant-api03-paddock").size())) EXPECT_TRUE(std::isalnum(c)) << p;
}

TEST(Binding, NamesWildcardsPortsAndIpv6) {
  EXPECT_TRUE(binding_covers("api.example.com", "api.example.com", 443));
  EXPECT_TRUE(binding_covers("API.example.com", "api.example.com", 8443)) << "no port: any port";
  EXPECT_FALSE(binding_covers("api.example.com", "evil-api.example.com", 443));
  EXPECT_FALSE(binding_covers("api.example.com", "api.example.com.evil.org", 443));
  EXPECT_TRUE(binding_covers("api.example.com:8443", "api.example.com", 8443));
  EXPECT_FALSE(binding_covers("api.example.com:8443", "api.example.com", 443));
  EXPECT_TRUE(binding_covers("*.example.com", "a.b.example.com", 443));
  EXPECT_FALSE(binding_covers("*.example.com", "example.com", 443));
  EXPECT_FALSE(binding_covers("*.example.com", "badexample.com", 443));
  EXPECT_TRUE(binding_covers("[::1]:8443", "::1", 8443));
  EXPECT_FALSE(binding_covers("[::1]:8443", "::1", 443));
  EXPECT_TRUE(binding_covers("::1", "::1", 1)) << "an IPv6 address alone has no port";
}

Grants two_grants() {
  Secret bearer{"api", {"api.example.com"}, "authorization", Format::bearer, "API_KEY", "sk-real-aaaaaaaaaaaaaaaaaaaa"};
  Secret raw{"key", {"*.anthropic.com:443"}, "x-api-key", Format::raw, "ANTHROPIC_API_KEY", "sk-ant-REALREALREALREAL"};
  return Grants({{bearer, "sk-paddockPLACEHOLDER0001"}, {raw, "sk-ant-paddockPLACEHOLDER2"}});
}

TEST(Swap, OnlyTheBoundHeaderOnABoundHostInTheGrantsFormat) {
  auto grants = two_grants();
  auto s = grants.swap("api.example.com", 443, "authorization", "Bearer sk-paddockPLACEHOLDER0001");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->value, "Bearer sk-real-aaaaaaaaaaaaaaaaaaaa");
  EXPECT_EQ(s->grant->secret.name, "api");
  EXPECT_TRUE(grants.swap("api.example.com", 443, "Authorization", "bearer sk-paddockPLACEHOLDER0001"))
      << "field names and the scheme are case-insensitive";
  EXPECT_FALSE(grants.swap("evil.com", 443, "authorization", "Bearer sk-paddockPLACEHOLDER0001")) << "another host";
  EXPECT_FALSE(grants.swap("api.example.com", 443, "x-other", "Bearer sk-paddockPLACEHOLDER0001")) << "another header";
  EXPECT_FALSE(grants.swap("api.example.com", 443, "authorization", "sk-paddockPLACEHOLDER0001")) << "not bearer";
  EXPECT_FALSE(grants.swap("api.example.com", 443, "authorization", "Bearer sk-paddockPLACEHOLDER0001x"));
  EXPECT_FALSE(grants.swap("api.example.com", 443, "authorization", "Bearer sk-ant-paddockPLACEHOLDER2"))
      << "another grant's placeholder";

  auto r = grants.swap("api.anthropic.com", 443, "x-api-key", "sk-ant-paddockPLACEHOLDER2");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->value, "sk-ant-REALREALREALREAL");
  EXPECT_FALSE(grants.swap("api.anthropic.com", 8443, "x-api-key", "sk-ant-paddockPLACEHOLDER2")) << "bound to :443";
  EXPECT_FALSE(grants.swap("api.anthropic.com", 443, "x-api-key", "Bearer sk-ant-paddockPLACEHOLDER2")) << "raw";

  EXPECT_TRUE(grants.binds("api.example.com", 443));
  EXPECT_FALSE(grants.binds("example.com", 443));
  EXPECT_THAT(grants.environment(), ::testing::ElementsAre("API_KEY=sk-paddockPLACEHOLDER0001",
                                                           "ANTHROPIC_API_KEY=sk-ant-paddockPLACEHOLDER2"));
}

TEST(Redact, EveryOccurrenceOfEveryValue) {
  auto grants = two_grants();
  EXPECT_EQ(
      grants.redact("/q?k=sk-real-aaaaaaaaaaaaaaaaaaaa&again=sk-real-aaaaaaaaaaaaaaaaaaaa&b=sk-ant-REALREALREALREAL"),
      "/q?k=[secret api]&again=[secret api]&b=[secret key]");
  EXPECT_EQ(grants.redact("nothing here"), "nothing here");
}

TEST(SecretStore, FilesAre0600InA0700DirectoryAndRoundTrip) {
  const auto dir = std::filesystem::temp_directory_path() / ("paddock-secrets-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  SecretStore store(dir.string());
  store.put({"github",
             {"api.github.com", "*.githubusercontent.com"},
             "authorization",
             Format::bearer,
             "GH_TOKEN",
             "ghp_secretvalue"});
  store.put({"anthropic", {"api.anthropic.com"}, "x-api-key", Format::raw, "ANTHROPIC_API_KEY", "sk-ant-x"});
  struct stat st {};
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat((dir / "github.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto found = store.find("github");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->value, "ghp_secretvalue");
  EXPECT_EQ(found->hosts.size(), 2u);
  EXPECT_EQ(found->variable, "GH_TOKEN");
  auto all = store.list();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "anthropic") << "by name";
  EXPECT_TRUE(store.remove("github"));
  EXPECT_FALSE(store.remove("github"));
  EXPECT_FALSE(store.find("github"));
  EXPECT_FALSE(store.find("../github")) << "names cannot leave the directory";
  EXPECT_FALSE(name_problem("../x").empty());
  EXPECT_EQ(default_variable("my-token.v2"), "MY_TOKEN_V2");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace paddock::creds
