// Benchmark workloads for the Cedar engine, generated deterministically so that this engine and
// the reference (cedar-wasm, driven by tools/cedar/bench-wasm.mjs) see exactly the same requests:
//  - the OOPSLA 2024 paper's applications (gdrive, github, tinytodo; policies from
//    shared/cedar-corpus/oopsla2024-benchmarks) over random entity hierarchies of N entities,
//  - a paddock-style set of 100 policies over File, Dir and Host resources, with the entities
//    paddock synthesises (a file's ancestor directories, a host's wildcard domains).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace paddock::cedar::bench {

struct RequestSpec {
  nlohmann::json principal, action, resource;  // {"type", "id"}
  nlohmann::json context;                      // an object
  std::size_t scenario = 0;                    // index into Workload::scenarios (its entities)
};

struct Workload {
  std::string name;
  std::string policies;                   // Cedar text
  std::vector<nlohmann::json> scenarios;  // entity lists (JSON arrays)
  std::vector<RequestSpec> requests;
  // Entities the reference engine is given per request (all of a scenario, or for the paddock
  // set only those of the request: principal, action and resource with their ancestors).
  std::vector<nlohmann::json> per_request_entities;
};

// `app`: gdrive, github or tinytodo; `entities_per_request`: 5 to 50.
Workload oopsla_workload(const std::string& corpus_dir, const std::string& app, std::size_t entities_per_request,
                         std::size_t scenarios = 20, std::size_t requests_per_scenario = 50);
Workload paddock_workload(std::size_t requests = 2000);

}  // namespace paddock::cedar::bench
