// Runs Cedar test files in the format of cedar-integration-tests (shared/cedar-corpus README):
//   {"policies": FILE, "entities": FILE, "schema": FILE, "requests": [{principal, action,
//    resource, context, decision, reason, errors}, ...]}
// with paths relative to a root folder, and the oracle-probe JSONL format (one self-contained
// request per line with its expected answer). Decision, reason and errors are compared as
// sets of policy ids, as the reference harness does. Used by the conformance test and by
// `paddock policy test`.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace paddock::cedar {

struct TestSummary {
  std::size_t passed = 0;
  std::size_t failed = 0;
  std::vector<std::string> failures;  // one line each: which request, expected, got

  void add(const TestSummary& other);
};

// `root`: the folder the test's paths are relative to. Without `use_schema` the test's schema
// is ignored (entity and context data are then read without schema-directed parsing).
TestSummary run_test_file(const std::filesystem::path& test_file, const std::filesystem::path& root,
                          bool use_schema = true);
// One JSON object per line; see cedar-corpus/oracle-probes.jsonl.
TestSummary run_probe_file(const std::filesystem::path& jsonl_file);

}  // namespace paddock::cedar
