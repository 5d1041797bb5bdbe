// paddock's policy vocabulary (DESIGN.md, "Policy vocabulary"): the actions, entity types and
// the way entities for paths and hosts are named, so that policies written for Leash load
// unchanged. Entities are synthesised per request (request_entities.hpp):
//   File::"/a/b/c"   in Dir::"/a/b/" in Dir::"/a/" in Dir::"/"   (also the spellings without
//                    the trailing slash, which Leash accepts), and in Location::"workspace" etc.
//   Host::"api.x.com:443" in Host::"api.x.com" in Host::"*.x.com" in Host::"*.com" in Host::"*"
//                    (NetworkConnect; HttpRequest and HttpRewrite name Host::"api.x.com" itself,
//                    with the port in the context, as Leash's HTTP rules do)
//   Agent::"claude" in Sandbox::"<name>"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace paddock::policy {

namespace action {
inline constexpr std::string_view kFileOpen = "FileOpen";  // either mode: the parent of the two below
inline constexpr std::string_view kFileRead = "FileOpenReadOnly";
inline constexpr std::string_view kFileWrite = "FileOpenReadWrite";
inline constexpr std::string_view kExec = "ProcessExec";
inline constexpr std::string_view kConnect = "NetworkConnect";
inline constexpr std::string_view kHttpRequest = "HttpRequest";
inline constexpr std::string_view kHttpRewrite = "HttpRewrite";
inline constexpr std::string_view kUseSecret = "UseSecret";
inline constexpr std::string_view kMcpCall = "McpCall";
}  // namespace action

// Every action paddock asks about, and the group each belongs to (empty: none).
struct ActionInfo {
  std::string_view name;
  std::string_view parent;
};
inline constexpr ActionInfo kActions[] = {
    {action::kFileOpen, ""},    {action::kFileRead, action::kFileOpen}, {action::kFileWrite, action::kFileOpen},
    {action::kExec, ""},        {action::kConnect, ""},                 {action::kHttpRequest, ""},
    {action::kHttpRewrite, ""}, {action::kUseSecret, ""},               {action::kMcpCall, ""},
};

namespace type {
inline constexpr std::string_view kAction = "Action";
inline constexpr std::string_view kFile = "File";
inline constexpr std::string_view kDir = "Dir";
inline constexpr std::string_view kHost = "Host";
inline constexpr std::string_view kAgent = "Agent";
inline constexpr std::string_view kSandbox = "Sandbox";
inline constexpr std::string_view kSecret = "Secret";
inline constexpr std::string_view kMcpServer = "MCP::Server";
inline constexpr std::string_view kMcpTool = "MCP::Tool";
inline constexpr std::string_view kLocation = "Location";
}  // namespace type

// The id of the Dir entity of a directory path: "/a/b" -> "/a/b/", "/" -> "/".
std::string dir_id(std::string_view path);
// The directories a path lies in, nearest first, as Dir ids with and without the trailing
// slash: "/a/b/c" -> "/a/b/", "/a/b", "/a/", "/a", "/".
std::vector<std::string> path_ancestor_ids(std::string_view path);

// The Host entity id of a connection: "name:port" ("[v6]:port" for IPv6 literals).
std::string host_id(std::string_view host, std::uint16_t port);
// What a host is in, nearest first: "api.x.com" -> "api.x.com", "*.x.com", "*.com", "*";
// an IP literal -> itself, "*".
std::vector<std::string> host_ancestor_ids(std::string_view host);

}  // namespace paddock::policy
