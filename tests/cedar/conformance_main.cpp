// The conformance run: every test of shared/cedar-corpus (corpus-tests/, tests/ and the oracle
// probes) against this engine; prints each mismatch and "N passed, N failed". Fails loudly when
// the corpus is missing rather than passing vacuously.
#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <string_view>
#include <vector>

#include "cedar/test_runner.hpp"

namespace fs = std::filesystem;
using paddock::cedar::TestSummary;

int main(int argc, char** argv) {
  // Usage: cedar_conformance [--no-schema] [CORPUS_DIR [MAX_FAILURES_SHOWN]]
  bool use_schema = true;
  if (argc > 1 && std::string_view(argv[1]) == "--no-schema") {
    use_schema = false;
    --argc;
    ++argv;
  }
  fs::path root = argc > 1 ? fs::path(argv[1]) : fs::path(PADDOCK_CEDAR_CORPUS);
  std::size_t shown = argc > 2 ? std::stoul(argv[2]) : 50;
  if (!fs::is_directory(root / "corpus-tests") || !fs::is_directory(root / "tests")) {
    fmt::print(stderr, "cedar conformance: corpus not found at {} (expected corpus-tests/ and tests/)\n",
               root.string());
    return 1;
  }
  std::vector<fs::path> files;
  for (const char* dir : {"corpus-tests", "tests"})
    for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
      const auto name = e.path().filename().string();
      if (e.is_regular_file() && e.path().extension() == ".json" && !name.ends_with(".entities.json"))
        files.push_back(e.path());
    }
  std::sort(files.begin(), files.end());
  TestSummary total;
  for (const auto& f : files) total.add(paddock::cedar::run_test_file(f, root, use_schema));
  total.add(paddock::cedar::run_probe_file(root / "oracle-probes.jsonl"));
  for (std::size_t i = 0; i < std::min(shown, total.failures.size()); ++i) fmt::print("FAIL {}\n", total.failures[i]);
  if (total.failures.size() > shown) fmt::print("... {} more failures\n", total.failures.size() - shown);
  fmt::print("{} test files\n", files.size());
  fmt::print("{} passed, {} failed\n", total.passed, total.failed);
  return total.failed == 0 && total.passed > 0 ? 0 : 1;
}
