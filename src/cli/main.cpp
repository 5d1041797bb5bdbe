#include <fmt/core.h>

#include <cstdio>
#include <exception>
#include <string_view>

#include "cli/command.hpp"
#include "common/error.hpp"

namespace paddock::cli {

CommandTail CommandTail::of(int argc, char** argv) {
  CommandTail tail;
  for (int i = 1; i < argc; ++i) {
    if (tail.present) {
      tail.words.emplace_back(argv[i]);
    } else if (std::string_view(argv[i]) == "--") {
      tail.present = true;
    }
  }
  return tail;
}

}  // namespace paddock::cli

int main(int argc, char** argv) {
  using namespace paddock::cli;
  CLI::App app{"paddock: run AI coding agents in a disposable sandbox governed by one Cedar policy", "paddock"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "paddock 0.1.0");

  Action action;
  const CommandTail tail = CommandTail::of(argc, argv);
  add_run_command(app, action, tail);
  add_doctor_command(app, action);
  add_policy_command(app, action);
  add_plan_command(app, action, tail);
  add_allow_command(app, action);
  add_selftest_command(app, action);
  add_secret_command(app, action);
  add_trust_command(app, action);
  add_audit_command(app, action);
  add_runs_command(app, action);
  add_mcp_command(app, action, tail);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ExtrasError&) {
    // CLI11 lists every leftover word; the first one (not "--") is the mistake.
    std::string first;
    for (auto* app_or_sub = &app; app_or_sub != nullptr;) {
      for (const auto& word : app_or_sub->remaining())
        if (word != "--" && first.empty()) first = word;
      auto subs = app_or_sub->get_subcommands();
      app_or_sub = subs.empty() ? nullptr : subs.front();
    }
    fmt::print(stderr, "paddock: unknown argument {}; see 'paddock --help'\n", first);
    return kExitUsage;
  } catch (const CLI::RequiredError& e) {
    if (!app.remaining().empty()) {
      fmt::print(stderr, "paddock: unknown command {}; see 'paddock --help'\n", app.remaining().front());
    } else {
      fmt::print(stderr, "paddock: {}; see 'paddock --help'\n", e.what());
    }
    return kExitUsage;
  } catch (const CLI::ParseError& e) {
    // One line: what is wrong and where to read more.
    fmt::print(stderr, "paddock: {}; see 'paddock --help'\n", e.what());
    return kExitUsage;
  }

  try {
    return action ? action() : kExitUsage;
  } catch (const paddock::Error& e) {
    fmt::print(stderr, "paddock: {}\n", e.what());
    return e.exit_status();
  } catch (const std::exception& e) {
    // What no boundary turned into an Error (a filesystem_error, bad_alloc): still one line, and
    // the status of any other failure (1 would say "tampered" to `audit verify`'s callers).
    fmt::print(stderr, "paddock: {}\n", e.what());
    return paddock::Error::kDefaultExitStatus;
  }
}
