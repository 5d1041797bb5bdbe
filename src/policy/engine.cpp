#include "policy/engine.hpp"

#include <numeric>

#include "policy/vocabulary.hpp"

namespace paddock::policy {

PolicyEngine::PolicyEngine(std::shared_ptr<const cedar::PolicySet> policies, Identity identity,
                           std::vector<Location> locations)
    : policies_(std::move(policies)), entities_(std::move(identity), std::move(locations)) {}

Verdict PolicyEngine::decide(std::string_view action, std::vector<cedar::RecordEntry> context) {
  context.push_back({"sandbox", text(entities_.identity().sandbox)});
  context.push_back({"agent", text(entities_.identity().agent)});
  cedar::Value record;
  cedar::make_record(scratch_, context, record);  // keys are ours and distinct

  cedar::Request request;
  request.principal = &entities_.principal();
  request.action = &entities_.action(action);
  request.resource = &entities_.resource();
  request.context = record;
  authorizer_.authorize(*policies_, request, entities_, response_);

  Verdict verdict;
  verdict.allowed = response_.decision == cedar::Decision::Allow;
  for (const cedar::Policy* p : response_.determining) verdict.policies.push_back({p->id, p->location()});
  for (const auto& e : response_.errors)
    verdict.errors.push_back(
        {{e.policy->id, e.policy->location()}, e.policy->effect() == cedar::Effect::Permit, e.error.message});
  scratch_.reset();
  return verdict;
}

Verdict PolicyEngine::file(std::string_view path, bool directory, bool write) {
  entities_.path_resource(path, directory);
  return decide(write ? action::kFileWrite : action::kFileRead, {{"path", text(path)}});
}

Verdict PolicyEngine::exec(const ExecQuery& query) {
  entities_.path_resource(query.path, query.directory);
  if (query.path_only) return decide(action::kExec, {{"path", text(query.path)}});
  std::vector<cedar::Value> args;
  for (const auto& arg : query.argv) args.push_back(text(arg));
  std::string command;
  for (const auto& arg : query.argv) command += (command.empty() ? "" : " ") + arg;
  return decide(action::kExec, {{"path", text(query.path)},
                                {"argv", cedar::make_set(scratch_, args)},
                                {"command", text(command)},
                                {"cwd", text(query.cwd)},
                                {"pid", cedar::Value::long_(query.pid)}});
}

Verdict PolicyEngine::connect(const ConnectQuery& query) {
  entities_.host_resource(query.host, query.port, !query.named_only);
  std::vector<cedar::RecordEntry> context = {
      {"host", text(query.host)}, {"port", cedar::Value::long_(query.port)}, {"protocol", text(query.protocol)}};
  if (query.ip) context.push_back({"ip", cedar::Value::ip(*query.ip)});
  return decide(action::kConnect, std::move(context));
}

Verdict PolicyEngine::http_request(const HttpQuery& query) {
  entities_.host_resource(query.host, 0);
  std::vector<cedar::RecordEntry> headers;
  for (const auto& [name, value] : query.headers) {
    // A repeated header keeps its first value, as most servers read it.
    if (std::none_of(headers.begin(), headers.end(), [&](const auto& e) { return e.key == name; }))
      headers.push_back({scratch_.copy(name), text(value)});
  }
  cedar::Value header_record;
  cedar::make_record(scratch_, headers, header_record);
  return decide(action::kHttpRequest, {{"host", text(query.host)},
                                       {"port", cedar::Value::long_(query.port)},
                                       {"method", text(query.method)},
                                       {"path", text(query.path)},
                                       {"query", text(query.query)},
                                       {"scheme", text(query.scheme)},
                                       {"headers", header_record}});
}

Verdict PolicyEngine::http_rewrite(std::string_view host, std::uint16_t port, std::string_view header,
                                   std::string_view value) {
  entities_.host_resource(host, 0);
  return decide(
      action::kHttpRewrite,
      {{"host", text(host)}, {"port", cedar::Value::long_(port)}, {"header", text(header)}, {"value", text(value)}});
}

Verdict PolicyEngine::use_secret(std::string_view secret, std::string_view host, std::uint16_t port,
                                 std::string_view header) {
  entities_.secret_resource(secret);
  return decide(action::kUseSecret,
                {{"host", text(host)}, {"port", cedar::Value::long_(port)}, {"header", text(header)}});
}

Verdict PolicyEngine::mcp_call(std::string_view server, std::string_view tool, const cedar::Value& arguments) {
  entities_.mcp_tool_resource(server, tool);
  return decide(action::kMcpCall, {{"server", text(server)}, {"tool", text(tool)}, {"arguments", arguments}});
}

}  // namespace paddock::policy
