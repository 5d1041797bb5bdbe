// `paddock doctor`: which sandbox layers this machine supports and what each missing one costs.
#include <fmt/core.h>

#include "cli/command.hpp"
#include "sandbox/features.hpp"

namespace paddock::cli {

void add_doctor_command(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("doctor", "Report which sandbox layers this machine supports");
  cmd->callback([&action] {
    action = [] {
      auto features = sandbox::probe_features();
      std::size_t width = 0;
      for (const auto& f : features) width = std::max(width, f.name.size());
      for (const auto& f : features) {
        fmt::print("{:<4} {:<{}}  {}\n", f.available ? "ok" : "--", f.name, width, f.detail);
        if (!f.available) fmt::print("     {:<{}}  without it: {}\n", "", width, f.without_it);
      }
      return 0;
    };
  });
}

}  // namespace paddock::cli
