#include "audit/event_json.hpp"

#include <nlohmann/json.hpp>

#include "audit/canonical_json.hpp"
#include "common/error.hpp"

namespace paddock::audit {
namespace {

// Every writer below lists its keys in ascending byte order (the canonical form's rule).

void write(JsonWriter& json, const Decision& decision) {
  json.begin_object();
  json.field("allowed", decision.allowed);
  json.field("errors", decision.errors);
  json.key("policies");
  json.begin_array();
  for (const auto& policy : decision.policies) {
    json.begin_object();
    json.field("id", policy.id);
    json.field("location", policy.location);
    json.end_object();
  }
  json.end_array();
  json.field("reason", decision.reason);
  json.end_object();
}

void write(JsonWriter& json, const Exec& e) {
  json.field("argv", e.argv);
  json.field("argv_truncated", e.argv_truncated);
  json.field("cwd", e.cwd);
  json.key("decision");
  write(json, e.decision);
  json.field("path", e.path);
  json.field("pid", e.pid);
  json.field("ppid", e.ppid);
}

void write(JsonWriter& json, const File& e) {
  json.field("access", e.access);
  json.key("decision");
  write(json, e.decision);
  json.field("path", e.path);
  json.field("pid", e.pid);
}

void write(JsonWriter& json, const NetConnect& e) {
  json.field("connection", e.connection);
  json.key("decision");
  write(json, e.decision);
  json.field("host", e.host);
  json.field("intercepted", e.intercepted);
  json.field("ip", e.ip);
  json.field("port", e.port);
  json.field("protocol", e.protocol);
}

void write(JsonWriter& json, const NetClose& e) {
  json.field("bytes_down", e.bytes_down);
  json.field("bytes_up", e.bytes_up);
  json.field("connection", e.connection);
  json.field("duration_us", e.duration_us);
  json.field("error", e.error);
}

void write(JsonWriter& json, const HttpRequest& e) {
  json.field("connection", e.connection);
  json.key("decision");
  write(json, e.decision);
  json.field("duration_us", e.duration_us);
  json.field("host", e.host);
  json.field("method", e.method);
  json.field("port", e.port);
  json.field("request_bytes", e.request_bytes);
  json.field("response_bytes", e.response_bytes);
  json.field("rewrites", e.rewrites);
  json.field("secrets", e.secrets);
  json.field("status", e.status);
  json.field("url", e.url);
}

void write(JsonWriter& json, const Dns& e) {
  json.field("answers", e.answers);
  json.key("decision");
  write(json, e.decision);
  json.field("name", e.name);
  json.field("type", e.type);
}

void write(JsonWriter& json, const McpCall& e) {
  json.field("arguments", e.arguments);
  json.key("decision");
  write(json, e.decision);
  json.field("method", e.method);
  json.field("server", e.server);
  json.field("tool", e.tool);
}

void write(JsonWriter& json, const SecretUse& e) {
  json.field("connection", e.connection);
  json.key("decision");
  write(json, e.decision);
  json.field("header", e.header);
  json.field("host", e.host);
  json.field("secret", e.secret);
}

void write(JsonWriter& json, const Policy& e) {
  json.field("diagnostics", e.diagnostics);
  json.field("files", e.files);
  json.field("hash", e.hash);
  json.field("policies", e.policies);
  json.field("profile", e.profile);
}

void write(JsonWriter& json, const SandboxStart& e) {
  json.field("agent", e.agent);
  json.field("command", e.command);
  json.field("init_pid", e.init_pid);
  json.field("profile", e.profile);
  json.field("workspace", e.workspace);
}

void write(JsonWriter& json, const SandboxExit& e) {
  json.field("duration_us", e.duration_us);
  json.field("exit_status", e.exit_status);
  json.field("file_events_lost", e.file_events_lost);
}

}  // namespace

void append_event_json(std::string& out, const Body& body) {
  JsonWriter json(out);
  json.begin_object();
  std::visit([&](const auto& event) { write(json, event); }, body);
  json.end_object();
}

}  // namespace paddock::audit

namespace paddock::audit {
namespace {

using nlohmann::json;

Decision decision_of(const json& j) {
  Decision d;
  const json& in = j.at("decision");
  d.allowed = in.at("allowed").get<bool>();
  d.errors = in.at("errors").get<std::vector<std::string>>();
  for (const auto& p : in.at("policies"))
    d.policies.push_back({p.at("id").get<std::string>(), p.at("location").get<std::string>()});
  d.reason = in.at("reason").get<std::string>();
  return d;
}

template <class T>
T get(const json& j, const char* key) {
  return j.at(key).get<T>();
}

using Strings = std::vector<std::string>;

Body body_of(std::string_view kind, const json& j) {
  if (kind == "exec")
    return Exec{get<std::int64_t>(j, "pid"),
                get<std::int64_t>(j, "ppid"),
                get<std::string>(j, "path"),
                get<Strings>(j, "argv"),
                get<std::string>(j, "cwd"),
                get<bool>(j, "argv_truncated"),
                decision_of(j)};
  if (kind == "file")
    return File{get<std::int64_t>(j, "pid"), get<std::string>(j, "path"), get<std::string>(j, "access"),
                decision_of(j)};
  if (kind == "net.connect")
    return NetConnect{get<std::uint64_t>(j, "connection"),
                      get<std::string>(j, "protocol"),
                      get<std::string>(j, "host"),
                      get<std::uint16_t>(j, "port"),
                      get<std::string>(j, "ip"),
                      get<bool>(j, "intercepted"),
                      decision_of(j)};
  if (kind == "net.close")
    return NetClose{get<std::uint64_t>(j, "connection"), get<std::uint64_t>(j, "bytes_up"),
                    get<std::uint64_t>(j, "bytes_down"), get<std::uint64_t>(j, "duration_us"),
                    get<std::string>(j, "error")};
  if (kind == "http.request")
    return HttpRequest{get<std::uint64_t>(j, "connection"),
                       get<std::string>(j, "method"),
                       get<std::string>(j, "url"),
                       get<std::string>(j, "host"),
                       get<std::uint16_t>(j, "port"),
                       get<int>(j, "status"),
                       get<std::uint64_t>(j, "request_bytes"),
                       get<std::uint64_t>(j, "response_bytes"),
                       get<std::uint64_t>(j, "duration_us"),
                       get<Strings>(j, "secrets"),
                       get<Strings>(j, "rewrites"),
                       decision_of(j)};
  if (kind == "dns")
    return Dns{get<std::string>(j, "name"), get<std::string>(j, "type"), get<Strings>(j, "answers"), decision_of(j)};
  if (kind == "mcp.call")
    return McpCall{get<std::string>(j, "server"), get<std::string>(j, "method"), get<std::string>(j, "tool"),
                   get<std::string>(j, "arguments"), decision_of(j)};
  if (kind == "secret.use")
    return SecretUse{get<std::uint64_t>(j, "connection"), get<std::string>(j, "secret"), get<std::string>(j, "host"),
                     get<std::string>(j, "header"), decision_of(j)};
  if (kind == "policy.load" || kind == "policy.reload" || kind == "policy.reject")
    return Policy{kind == "policy.load"     ? Policy::Change::load
                  : kind == "policy.reload" ? Policy::Change::reload
                                            : Policy::Change::reject,
                  get<std::string>(j, "profile"),
                  get<Strings>(j, "files"),
                  get<std::string>(j, "hash"),
                  get<std::size_t>(j, "policies"),
                  get<Strings>(j, "diagnostics")};
  if (kind == "sandbox.start")
    return SandboxStart{get<Strings>(j, "command"), get<std::string>(j, "workspace"), get<std::string>(j, "profile"),
                        get<std::string>(j, "agent"), get<std::int64_t>(j, "init_pid")};
  if (kind == "sandbox.exit")
    return SandboxExit{get<int>(j, "exit_status"), get<std::uint64_t>(j, "duration_us"),
                       j.value("file_events_lost", false)};  // absent from trails before 2026-12-07
  throw Error("unknown event kind \"" + std::string(kind) + "\"");
}

}  // namespace

Body parse_event_json(std::string_view kind, std::string_view event_json) {
  try {
    return body_of(kind, json::parse(event_json));
  } catch (const json::exception& e) {
    throw Error("not a " + std::string(kind) + " event: " + e.what());
  }
}

}  // namespace paddock::audit
