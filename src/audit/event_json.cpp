#include "audit/event_json.hpp"

#include <nlohmann/json.hpp>

#include "audit/canonical_json.hpp"
#include "common/error.hpp"

namespace paddock::audit {
namespace {

// Every writer below lists its keys in ascending byte order (the canonical form's rule).

void write(JsonWriter& json, const Decision& decision) {
  json.begin_object();
  json.key("allowed");
  json.boolean(decision.allowed);
  json.key("errors");
  json.strings(decision.errors);
  json.key("policies");
  json.begin_array();
  for (const auto& policy : decision.policies) {
    json.begin_object();
    json.key("id");
    json.string(policy.id);
    json.key("location");
    json.string(policy.location);
    json.end_object();
  }
  json.end_array();
  json.key("reason");
  json.string(decision.reason);
  json.end_object();
}

void write(JsonWriter& json, const Exec& e) {
  json.key("argv");
  json.strings(e.argv);
  json.key("argv_truncated");
  json.boolean(e.argv_truncated);
  json.key("cwd");
  json.string(e.cwd);
  json.key("decision");
  write(json, e.decision);
  json.key("path");
  json.string(e.path);
  json.key("pid");
  json.integer(e.pid);
  json.key("ppid");
  json.integer(e.ppid);
}

void write(JsonWriter& json, const File& e) {
  json.key("access");
  json.string(e.access);
  json.key("decision");
  write(json, e.decision);
  json.key("path");
  json.string(e.path);
  json.key("pid");
  json.integer(e.pid);
}

void write(JsonWriter& json, const NetConnect& e) {
  json.key("connection");
  json.unsigned_integer(e.connection);
  json.key("decision");
  write(json, e.decision);
  json.key("host");
  json.string(e.host);
  json.key("intercepted");
  json.boolean(e.intercepted);
  json.key("ip");
  json.string(e.ip);
  json.key("port");
  json.unsigned_integer(e.port);
  json.key("protocol");
  json.string(e.protocol);
}

void write(JsonWriter& json, const NetClose& e) {
  json.key("bytes_down");
  json.unsigned_integer(e.bytes_down);
  json.key("bytes_up");
  json.unsigned_integer(e.bytes_up);
  json.key("connection");
  json.unsigned_integer(e.connection);
  json.key("duration_us");
  json.unsigned_integer(e.duration_us);
  json.key("error");
  json.string(e.error);
}

void write(JsonWriter& json, const HttpRequest& e) {
  json.key("connection");
  json.unsigned_integer(e.connection);
  json.key("decision");
  write(json, e.decision);
  json.key("duration_us");
  json.unsigned_integer(e.duration_us);
  json.key("host");
  json.string(e.host);
  json.key("method");
  json.string(e.method);
  json.key("port");
  json.unsigned_integer(e.port);
  json.key("request_bytes");
  json.unsigned_integer(e.request_bytes);
  json.key("response_bytes");
  json.unsigned_integer(e.response_bytes);
  json.key("rewrites");
  json.strings(e.rewrites);
  json.key("secrets");
  json.strings(e.secrets);
  json.key("status");
  json.integer(e.status);
  json.key("url");
  json.string(e.url);
}

void write(JsonWriter& json, const Dns& e) {
  json.key("answers");
  json.strings(e.answers);
  json.key("decision");
  write(json, e.decision);
  json.key("name");
  json.string(e.name);
  json.key("type");
  json.string(e.type);
}

void write(JsonWriter& json, const McpCall& e) {
  json.key("arguments");
  json.string(e.arguments);
  json.key("decision");
  write(json, e.decision);
  json.key("method");
  json.string(e.method);
  json.key("server");
  json.string(e.server);
  json.key("tool");
  json.string(e.tool);
}

void write(JsonWriter& json, const SecretUse& e) {
  json.key("connection");
  json.unsigned_integer(e.connection);
  json.key("decision");
  write(json, e.decision);
  json.key("header");
  json.string(e.header);
  json.key("host");
  json.string(e.host);
  json.key("secret");
  json.string(e.secret);
}

void write(JsonWriter& json, const Policy& e) {
  json.key("diagnostics");
  json.strings(e.diagnostics);
  json.key("files");
  json.strings(e.files);
  json.key("hash");
  json.string(e.hash);
  json.key("policies");
  json.unsigned_integer(e.policies);
  json.key("profile");
  json.string(e.profile);
}

void write(JsonWriter& json, const SandboxStart& e) {
  json.key("agent");
  json.string(e.agent);
  json.key("command");
  json.strings(e.command);
  json.key("init_pid");
  json.integer(e.init_pid);
  json.key("profile");
  json.string(e.profile);
  json.key("workspace");
  json.string(e.workspace);
}

void write(JsonWriter& json, const SandboxExit& e) {
  json.key("duration_us");
  json.unsigned_integer(e.duration_us);
  json.key("exit_status");
  json.integer(e.exit_status);
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
  if (kind == "sandbox.exit") return SandboxExit{get<int>(j, "exit_status"), get<std::uint64_t>(j, "duration_us")};
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
