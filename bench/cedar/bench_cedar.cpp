// Cedar engine benchmarks (Google Benchmark). Per workload (workloads.hpp):
//   authorize/W   throughput of Authorizer::authorize with policies compiled and entities loaded
//                 once, as the OOPSLA paper measures (items_per_second = requests/s, one core)
//   latency/W     per-request latency percentiles (p50_ns, p99_ns; includes ~20 ns of clock reads)
//   from_json/W   the same requests with the entities parsed from JSON on every request, which
//                 is what the reference engine's API has to do (the fair side of the comparison)
//   parse/W       compiling the policy text
// `--export-workloads=DIR` writes every workload as DIR/NAME.cedar + DIR/NAME.jsonl (one
// request per line with this engine's decision) for tools/cedar/bench-wasm.mjs, then exits.
#include <benchmark/benchmark.h>
#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>

#include "cedar/authorizer.hpp"
#include "cedar/json.hpp"
#include "workloads.hpp"

namespace {

using namespace paddock::cedar;
using nlohmann::json;
using paddock::cedar::bench::Workload;

// A workload made ready for the engine: compiled policies, loaded entities, built requests.
struct Prepared {
  std::shared_ptr<const PolicySet> policies;
  std::vector<std::unique_ptr<EntityStore>> stores;
  std::vector<std::unique_ptr<LiteralStore>> contexts;
  std::vector<EntityUid> uids;  // three per request
  std::vector<Request> requests;
  std::vector<const EntityStore*> request_store;
};

std::shared_ptr<const PolicySet> compile(const std::string& text) {
  PolicySetBuilder builder;
  builder.add_text_or_throw("bench.cedar", text);
  return builder.build();
}

std::unique_ptr<Prepared> prepare(const Workload& w) {
  auto p = std::make_unique<Prepared>();
  p->policies = compile(w.policies);
  for (const auto& entities : w.scenarios) {
    p->stores.push_back(std::make_unique<EntityStore>());
    load_entities_json(entities, *p->stores.back());
    p->stores.back()->finish();
  }
  p->uids.reserve(w.requests.size() * 3);
  for (const auto& r : w.requests) {
    p->uids.push_back(uid_from_json(r.principal, "principal"));
    p->uids.push_back(uid_from_json(r.action, "action"));
    p->uids.push_back(uid_from_json(r.resource, "resource"));
  }
  for (std::size_t i = 0; i < w.requests.size(); ++i) {
    p->contexts.push_back(std::make_unique<LiteralStore>());
    Value context = context_from_json(w.requests[i].context, *p->contexts.back());
    p->requests.push_back(Request{&p->uids[3 * i], &p->uids[3 * i + 1], &p->uids[3 * i + 2], context});
    p->request_store.push_back(p->stores[w.requests[i].scenario].get());
  }
  return p;
}

void authorize_bench(benchmark::State& state, const Workload* w) {
  auto p = prepare(*w);
  Authorizer authorizer;
  Response response;
  std::size_t i = 0, allowed = 0, evaluated = 0;
  for (auto _ : state) {
    authorizer.authorize(*p->policies, p->requests[i], *p->request_store[i], response);
    allowed += response.decision == Decision::Allow;
    evaluated += authorizer.last_candidates();
    benchmark::DoNotOptimize(response.decision);
    if (++i == p->requests.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["allow_pct"] = 100.0 * static_cast<double>(allowed) / static_cast<double>(state.iterations());
  state.counters["policies_evaluated"] = static_cast<double>(evaluated) / static_cast<double>(state.iterations());
}

void latency_bench(benchmark::State& state, const Workload* w) {
  auto p = prepare(*w);
  Authorizer authorizer;
  Response response;
  std::vector<std::int64_t> samples;
  samples.reserve(1 << 20);
  std::size_t i = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    authorizer.authorize(*p->policies, p->requests[i], *p->request_store[i], response);
    auto t1 = std::chrono::steady_clock::now();
    if (samples.size() < samples.capacity()) samples.push_back((t1 - t0).count());
    if (++i == p->requests.size()) i = 0;
  }
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) {
    return static_cast<double>(samples[static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1))]);
  };
  state.counters["p50_ns"] = at(0.5);
  state.counters["p99_ns"] = at(0.99);
}

void from_json_bench(benchmark::State& state, const Workload* w) {
  auto p = prepare(*w);
  Authorizer authorizer;
  Response response;
  std::size_t i = 0;
  for (auto _ : state) {
    EntityStore store;
    load_entities_json(w->per_request_entities[i], store);
    store.finish();
    authorizer.authorize(*p->policies, p->requests[i], store, response);
    benchmark::DoNotOptimize(response.decision);
    if (++i == p->requests.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void parse_bench(benchmark::State& state, const Workload* w) {
  for (auto _ : state) benchmark::DoNotOptimize(compile(w->policies));
}

std::vector<Workload>& workloads() {
  static std::vector<Workload> all = [] {
    std::vector<Workload> out;
    for (const char* app : {"gdrive", "github", "tinytodo"})
      for (std::size_t n : {5, 10, 20, 50}) out.push_back(bench::oopsla_workload(PADDOCK_CEDAR_CORPUS, app, n));
    out.push_back(bench::paddock_workload());
    return out;
  }();
  return all;
}

void export_workloads(const std::string& dir) {
  std::filesystem::create_directories(dir);
  for (const auto& w : workloads()) {
    std::string name = w.name;
    std::replace(name.begin(), name.end(), '/', '-');
    std::ofstream(dir + "/" + name + ".cedar") << w.policies;
    std::ofstream lines(dir + "/" + name + ".jsonl");
    auto p = prepare(w);
    Authorizer authorizer;
    for (std::size_t i = 0; i < w.requests.size(); ++i) {
      const auto& r = w.requests[i];
      Response response = authorizer.authorize(*p->policies, p->requests[i], *p->request_store[i]);
      json line{{"entities", w.per_request_entities[i]},
                {"principal", r.principal},
                {"action", r.action},
                {"resource", r.resource},
                {"context", r.context},
                {"expected", decision_name(response.decision)}};
      lines << line.dump() << '\n';
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.starts_with("--export-workloads=")) {
      export_workloads(std::string(arg.substr(19)));
      return 0;
    }
  }
  for (const auto& w : workloads()) {
    benchmark::RegisterBenchmark(("authorize/" + w.name).c_str(), authorize_bench, &w);
    benchmark::RegisterBenchmark(("latency/" + w.name).c_str(), latency_bench, &w);
    benchmark::RegisterBenchmark(("from_json/" + w.name).c_str(), from_json_bench, &w);
    benchmark::RegisterBenchmark(("parse/" + w.name).c_str(), parse_bench, &w);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
