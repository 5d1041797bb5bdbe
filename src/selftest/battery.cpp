#include "selftest/battery.hpp"

#include <algorithm>

namespace paddock::selftest {

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::pass:
      return "PASS";
    case Outcome::fail:
      return "FAIL";
    case Outcome::not_applicable:
      return "N/A";
  }
  return "?";
}

Finding pass(std::string reason) {
  return {Outcome::pass, std::move(reason)};
}
Finding fail(std::string reason) {
  return {Outcome::fail, std::move(reason)};
}
Finding not_applicable(std::string reason) {
  return {Outcome::not_applicable, std::move(reason)};
}

std::vector<Probe> battery() {
  std::vector<Probe> all;
  for (auto part : {file_probes(), process_probes(), socket_probes(), network_probes()})
    all.insert(all.end(), part.begin(), part.end());
  std::stable_sort(all.begin(), all.end(), [](const Probe& a, const Probe& b) { return a.row < b.row; });
  return all;
}

Finding expect_probe(const Lab& lab, const std::vector<std::string>& args, const std::string& expected,
                     const std::string& why, const std::vector<std::string>& flags) {
  return expect_all(lab, {{args, expected}}, why, flags);
}

Finding expect_all(const Lab& lab, const std::vector<Check>& checks, const std::string& why,
                   const std::vector<std::string>& flags) {
  for (const auto& check : checks) {
    std::string got = lab.probe(check.args, flags);
    if (got != check.expected) {
      std::string what;
      for (const auto& a : check.args) what += (what.empty() ? "" : " ") + a;
      return fail(what + ": got " + got + ", expected " + check.expected);
    }
  }
  return pass(why);
}

}  // namespace paddock::selftest
