#include "cli/run_interception.hpp"

#include <fmt/core.h>

#include "cli/command.hpp"
#include "cli/host_binding.hpp"
#include "common/error.hpp"
#include "common/files.hpp"
#include "creds/secret_store.hpp"
#include "net/certificate_authority.hpp"
#include "net/tls_contexts.hpp"
#include "net/trust.hpp"

namespace paddock::cli {
namespace {

std::vector<std::string> bindings(const std::vector<std::string>& hosts, const std::string& flag) {
  std::vector<std::string> out;
  for (const auto& host : hosts) out.push_back(host == "*" ? host : canonical_binding(host, flag));
  return out;
}

creds::Grants load_grants(const std::vector<std::string>& specs) {
  if (specs.empty()) return {};
  auto store = creds::SecretStore::standard();
  std::vector<creds::Grant> grants;
  for (const auto& spec : specs) {
    const auto equals = spec.find('=');
    const std::string name = spec.substr(0, equals);
    auto secret = store.find(name);
    if (!secret)
      throw Error(fmt::format("--grant {}: no such secret; add it with `paddock secret add {} --host HOST --header "
                              "HEADER` (see `paddock secret ls`)",
                              spec, name),
                  kExitUsage);
    if (equals != std::string::npos) {
      secret->variable = spec.substr(equals + 1);
      if (secret->variable.empty() || secret->variable.find_first_of("= ") != std::string::npos)
        throw Error(fmt::format("--grant {}: expected NAME or NAME=VARIABLE", spec), kExitUsage);
    }
    for (const auto& other : grants)
      if (other.secret.name == secret->name || other.secret.variable == secret->variable)
        throw Error(fmt::format("--grant {}: granted twice, or into the variable {} of secret {}", spec,
                                secret->variable, other.secret.name),
                    kExitUsage);
    std::string placeholder = creds::make_placeholder(secret->value);
    grants.push_back({std::move(*secret), std::move(placeholder)});
  }
  return creds::Grants(std::move(grants));
}

}  // namespace

net::Interception prepare_interception(const RunOptions& options, PreparedRun& run) {
  net::Interception interception;
  auto& request = run.request;
  if (!request.egress) {
    if (!run.settings.grants.empty() || !options.intercept.empty())
      throw Error(fmt::format("--grant/--intercept: profile {} has no network; use a profile with network "
                              "(standard, trusted) or a policy that allows hosts",
                              run.profile.name),
                  kExitUsage);
    return interception;
  }
  interception.always = bindings(options.intercept, "--intercept");
  interception.never = bindings(options.no_intercept, "--no-intercept");
  interception.grants = load_grants(run.settings.grants);

  // A run that will intercept (secrets granted, --intercept) loads the CA now, so a damaged one
  // stops the start; any other run may never intercept (only policy request rules, perhaps
  // reloaded later, would make it), so it loads the CA at the first interception.
  const std::string ca_directory = data_directory() + "/ca";
  const std::string ca_pem = net::CertificateAuthority::ensure(ca_directory);
  interception.tls = std::make_shared<net::TlsContexts>(ca_directory, ca_pem);
  if (!interception.grants.empty() || !interception.always.empty()) interception.tls->authority();
  auto trust = net::sandbox_trust(ca_pem, request.rootfs.value_or("/"));
  for (auto& file : trust.files)
    request.files.push_back(
        {std::move(file.target), std::move(file.content), std::move(file.base), file.where_possible});
  std::vector<std::string> env = std::move(trust.environment);
  for (auto& variable : interception.grants.environment()) env.push_back(std::move(variable));
  env.insert(env.end(), request.env.begin(), request.env.end());
  request.env = std::move(env);
  return interception;
}

}  // namespace paddock::cli
