// `paddock selftest [--profile P] [--json]`: the escape battery, each attack inside a real
// sandbox of this machine, one row per attack: PASS (it failed for the stated reason), FAIL (it
// worked, or failed for another reason) or N/A (with the reason). Exit status 1 on any FAIL.
#include <fmt/core.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>

#include "cli/command.hpp"
#include "common/error.hpp"
#include "common/files.hpp"
#include "policy/profiles.hpp"
#include "selftest/battery.hpp"

namespace fs = std::filesystem;

namespace paddock::cli {
namespace {

struct SelftestOptions {
  std::string profile = std::string(policy::kDefaultProfile);
  bool json = false;
};

int selftest(const SelftestOptions& options) {
  policy::find_profile(options.profile);  // a bad name is a usage error before any sandbox starts
  const std::string paddock = self_executable();
  const std::string probe = (fs::path(paddock).parent_path() / "paddock-probe").string();
  if (!fs::exists(probe))
    throw Error("paddock selftest: " + probe + " is missing; install paddock-probe next to paddock");

  selftest::Lab lab({paddock, probe, options.profile});
  nlohmann::json rows = nlohmann::json::array();
  int failures = 0;
  if (!options.json)
    fmt::print("paddock selftest: the escape battery, profile {}, as uid {}\n\n", options.profile, ::getuid());
  for (const auto& probe_row : selftest::battery()) {
    selftest::Finding finding;
    try {
      finding = probe_row.run(lab);
    } catch (const std::exception& e) {
      finding = selftest::fail(std::string("the probe itself failed: ") + e.what());
    }
    if (finding.outcome == selftest::Outcome::fail) ++failures;
    const std::string_view outcome = selftest::outcome_name(finding.outcome);
    if (options.json) {
      rows.push_back(
          {{"row", probe_row.row}, {"attack", probe_row.attack}, {"outcome", outcome}, {"reason", finding.reason}});
    } else {
      fmt::print("{:>3}  {:<4}  {}\n           {}\n", probe_row.row, outcome, probe_row.attack, finding.reason);
    }
  }
  if (options.json) {
    fmt::print("{}\n", nlohmann::json{{"profile", options.profile}, {"uid", ::getuid()}, {"rows", rows}}.dump(2));
  } else {
    fmt::print("\n{} rows, {} failed\n", rows.empty() ? selftest::battery().size() : rows.size(), failures);
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace

void add_selftest_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<SelftestOptions>();
  auto* cmd = app.add_subcommand("selftest", "Run the escape battery inside real sandboxes of this machine");
  cmd->add_option("-p,--profile", options->profile, "The profile to test")->capture_default_str();
  cmd->add_flag("--json", options->json, "One JSON document instead of the table");
  cmd->callback([options, &action] { action = [options] { return selftest(*options); }; });
}

}  // namespace paddock::cli
