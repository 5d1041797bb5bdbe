#!/usr/bin/env node
// Times the reference Cedar engine (@cedar-policy/cedar-wasm) on the workloads that
// bench_cedar exports (bench_cedar --export-workloads=DIR): for each DIR/NAME.cedar +
// DIR/NAME.jsonl, the policy set is pre-parsed once (preparsePolicySet) and every request is
// authorized with statefulIsAuthorized, entities passed with the request (the only way its API
// takes them). Prints one JSON line per workload: name, requests, us_per_request (CPU time),
// wall_us_per_request, req_per_s and
// how many decisions differ from the ones bench_cedar recorded (should be 0).
//
//   node tools/cedar/bench-wasm.mjs DIR [--max-requests N]
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cedar = createRequire(import.meta.url)(join(here, 'node_modules', '@cedar-policy', 'cedar-wasm', 'nodejs', 'cedar_wasm.js'));

const args = process.argv.slice(2);
const dir = args[0];
const maxAt = args.indexOf('--max-requests');
const maxRequests = maxAt >= 0 ? Number(args[maxAt + 1]) : 2000;
if (!dir) {
  console.error('usage: bench-wasm.mjs DIR [--max-requests N]');
  process.exit(2);
}

for (const file of readdirSync(dir).filter(f => f.endsWith('.jsonl')).sort()) {
  const name = file.slice(0, -'.jsonl'.length);
  const policies = readFileSync(join(dir, name + '.cedar'), 'utf8');
  const requests = readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean).slice(0, maxRequests).map(l => JSON.parse(l));
  const pre = cedar.preparsePolicySet(name, { staticPolicies: policies });
  if (pre.type !== 'success') {
    console.log(JSON.stringify({ name, error: pre.errors }));
    continue;
  }
  const call = r => cedar.statefulIsAuthorized({ principal: r.principal, action: r.action, resource: r.resource,
    context: r.context, entities: r.entities, preparsedPolicySetId: name });
  for (const r of requests.slice(0, Math.min(200, requests.length))) call(r);  // warm up
  let mismatches = 0, failures = 0;
  // CPU time, like bench_cedar's cpu_time, so that a busy machine does not skew the ratio.
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (const r of requests) {
    const a = call(r);
    if (a.type !== 'success') failures++;
    else if (a.response.decision !== r.expected) mismatches++;
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const seconds = (cpu.user + cpu.system) / 1e6;
  console.log(JSON.stringify({ name, requests: requests.length, us_per_request: seconds / requests.length * 1e6,
    wall_us_per_request: wall / requests.length * 1e6, req_per_s: requests.length / seconds, mismatches, failures }));
}
