#include "sandbox/environment.hpp"

#include <algorithm>
#include <map>

#include "common/error.hpp"

namespace paddock::sandbox {
namespace {

constexpr const char* kPassThrough[] = {"TERM", "COLORTERM", "LANG",     "LANGUAGE",
                                        "TZ",   "PATH",      "NO_COLOR", "FORCE_COLOR"};
constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

bool passes_through(const std::string& name) {
  if (name.rfind("LC_", 0) == 0) return true;
  return std::any_of(std::begin(kPassThrough), std::end(kPassThrough), [&](const char* n) { return name == n; });
}

bool valid_name(const std::string& name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

std::vector<std::string> sandbox_environment(const std::vector<std::string>& host_environ,
                                             const std::vector<std::string>& extra, const Identity& identity) {
  std::map<std::string, std::string> host;
  for (const auto& entry : host_environ) {
    auto eq = entry.find('=');
    if (eq != std::string::npos) host.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }

  std::map<std::string, std::string> env;
  for (const auto& [name, value] : host)
    if (passes_through(name)) env[name] = value;
  if (!env.contains("PATH")) env["PATH"] = kDefaultPath;
  env["HOME"] = identity.home;
  env["USER"] = identity.user;
  env["LOGNAME"] = identity.user;
  env["SHELL"] = "/bin/sh";
  env["TMPDIR"] = "/tmp";
  env["PADDOCK_SANDBOX"] = "1";
  env["PADDOCK_WORKSPACE"] = identity.workspace;

  for (const auto& entry : extra) {
    auto eq = entry.find('=');
    std::string name = entry.substr(0, eq);
    if (!valid_name(name))
      throw Error("--env \"" + entry + "\": expected NAME=VALUE or NAME, with NAME made of letters, digits and _");
    if (eq != std::string::npos) {
      env[name] = entry.substr(eq + 1);
    } else if (auto it = host.find(name); it != host.end()) {
      env[name] = it->second;
    } else {
      throw Error("--env " + name + ": not set on the host; pass --env " + name + "=VALUE instead");
    }
  }

  std::vector<std::string> out;
  out.reserve(env.size());
  for (const auto& [name, value] : env) out.push_back(name + "=" + value);
  return out;
}

}  // namespace paddock::sandbox
