// The escape battery (../shared/SECURITY-BATTERY.md) as executable probes. Each row attempts its
// attack inside a real sandbox of the lab and passes only when the attack failed for the stated
// reason (the errno, the exit status, the host left untouched), not merely because it failed.
// Rows are never deleted; new ones are added at the end.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "selftest/lab.hpp"

namespace paddock::selftest {

enum class Outcome { pass, fail, not_applicable };
std::string_view outcome_name(Outcome outcome);

struct Finding {
  Outcome outcome = Outcome::fail;
  std::string reason;
};
Finding pass(std::string reason);
Finding fail(std::string reason);
Finding not_applicable(std::string reason);

struct Probe {
  int row;
  std::string_view attack;
  Finding (*run)(const Lab& lab);
};

// In row order.
std::vector<Probe> battery();

// The probes of each part of the battery (battery_*.cpp).
std::vector<Probe> file_probes();
std::vector<Probe> process_probes();
std::vector<Probe> socket_probes();
std::vector<Probe> network_probes();

// Runs the probe with `args` and checks its answer is `expected`; on a mismatch the finding
// names what came back instead.
Finding expect_probe(const Lab& lab, const std::vector<std::string>& args, const std::string& expected,
                     const std::string& why, const std::vector<std::string>& flags = {});
// All of several (args, expected) checks; passes with `why` when all hold.
struct Check {
  std::vector<std::string> args;
  std::string expected;
};
Finding expect_all(const Lab& lab, const std::vector<Check>& checks, const std::string& why,
                   const std::vector<std::string>& flags = {});

}  // namespace paddock::selftest
