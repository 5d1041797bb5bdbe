// `paddock secret add|ls|rm`: the credentials the egress proxy injects for a run that grants
// them (`paddock run --grant NAME`). The value comes from stdin (not echoed on a terminal) or
// from a variable of paddock's own environment, never from the command line, where other
// users could read it in /proc.
#include <fmt/core.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.hpp"
#include "cli/host_binding.hpp"
#include "common/error.hpp"
#include "creds/secret_store.hpp"

namespace paddock::cli {
namespace {

struct AddFlags {
  std::string name;
  std::vector<std::string> hosts;
  std::string header;
  std::string format = "bearer";
  std::string variable;
  std::string from_env;
};

std::string read_value(const AddFlags& flags) {
  if (!flags.from_env.empty()) {
    const char* value = std::getenv(flags.from_env.c_str());
    if (value == nullptr || *value == '\0')
      throw Error(fmt::format("--from-env {}: the variable is not set in paddock's environment", flags.from_env),
                  kExitUsage);
    return value;
  }
  termios saved{};
  const bool terminal = ::isatty(STDIN_FILENO) == 1 && ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (terminal) {
    fmt::print(stderr, "value of secret {} (not shown): ", flags.name);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    check_sys(::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet), "tcsetattr(stdin)");
  }
  std::string value;
  std::getline(std::cin, value);
  if (terminal) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    fmt::print(stderr, "\n");
  }
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
  if (value.empty())
    throw Error(fmt::format("secret {}: no value on stdin (pipe it in, or use --from-env VAR)", flags.name),
                kExitUsage);
  return value;
}

bool valid_header_name(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos)
      return false;
  return true;
}

int add(const AddFlags& flags) {
  creds::Secret secret;
  secret.name = flags.name;
  if (auto problem = creds::name_problem(flags.name); !problem.empty()) throw Error(problem, kExitUsage);
  for (const auto& host : flags.hosts) secret.hosts.push_back(canonical_binding(host, "--host"));
  if (!valid_header_name(flags.header))
    throw Error(fmt::format("--header {}: not an HTTP field name (e.g. Authorization, x-api-key)", flags.header),
                kExitUsage);
  secret.header = flags.header;
  for (auto& c : secret.header) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto format = creds::parse_format(flags.format);
  if (!format) throw Error(fmt::format("--format {}: expected bearer or raw", flags.format), kExitUsage);
  secret.format = *format;
  secret.variable = flags.variable.empty() ? creds::default_variable(flags.name) : flags.variable;
  secret.value = read_value(flags);
  auto store = creds::SecretStore::standard();
  const bool replaced = store.find(secret.name).has_value();
  store.put(secret);
  fmt::print(stderr, "paddock: secret {} {} ({} in {}, for {}); grant it with `paddock run --grant {}`\n", secret.name,
             replaced ? "replaced" : "added", creds::format_name(secret.format), secret.header,
             fmt::join(secret.hosts, ", "), secret.name);
  return 0;
}

int list() {
  auto secrets = creds::SecretStore::standard().list();
  if (secrets.empty()) {
    fmt::print(stderr, "paddock: no secrets; add one with `paddock secret add NAME --host H --header H`\n");
    return 0;
  }
  fmt::print("{:<20} {:<8} {:<16} {:<24} {}\n", "NAME", "FORMAT", "HEADER", "VARIABLE", "HOSTS");
  for (const auto& s : secrets)
    fmt::print("{:<20} {:<8} {:<16} {:<24} {}\n", s.name, creds::format_name(s.format), s.header, s.variable,
               fmt::join(s.hosts, ","));
  return 0;
}

int remove(const std::string& name) {
  if (!creds::SecretStore::standard().remove(name))
    throw Error(fmt::format("secret {}: no such secret (see `paddock secret ls`)", name), kExitUsage);
  fmt::print(stderr, "paddock: secret {} removed\n", name);
  return 0;
}

}  // namespace

void add_secret_command(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("secret", "Credentials the egress proxy injects; the sandbox sees placeholders");
  cmd->require_subcommand(1);

  auto flags = std::make_shared<AddFlags>();
  auto* add_cmd = cmd->add_subcommand("add", "Store a secret (value from stdin, or --from-env VAR)");
  add_cmd->add_option("name", flags->name, "The secret's name")->required();
  add_cmd->add_option("--host", flags->hosts, "A host the value may go to (repeatable): name, *.domain, name:port")
      ->required();
  add_cmd->add_option("--header", flags->header, "The request header it goes in, e.g. Authorization")->required();
  add_cmd->add_option("--format", flags->format, "bearer (\"Bearer VALUE\") or raw (the value alone)")
      ->capture_default_str();
  add_cmd->add_option("--env", flags->variable,
                      "The sandbox's variable for the placeholder (default: NAME upper-cased)");
  add_cmd->add_option("--from-env", flags->from_env, "Read the value from this variable of paddock's environment");
  add_cmd->callback([&action, flags] { action = [flags] { return add(*flags); }; });

  auto* ls_cmd = cmd->add_subcommand("ls", "List the stored secrets (never their values)");
  ls_cmd->callback([&action] { action = [] { return list(); }; });

  auto name = std::make_shared<std::string>();
  auto* rm_cmd = cmd->add_subcommand("rm", "Remove a stored secret");
  rm_cmd->add_option("name", *name, "The secret's name")->required();
  rm_cmd->callback([&action, name] { action = [name] { return remove(*name); }; });
}

}  // namespace paddock::cli
