#!/usr/bin/env node
// Differential testing against the reference engine, part 2: reads the JSON lines that
// cedar_difftest_gen writes (a case plus this engine's answer under "ours"), authorizes each
// with @cedar-policy/cedar-wasm and compares: both must fail to load, or both answer with the
// same decision, the same determining policies and the same erroring policies (as sets).
// Prints each disagreement as a JSON line and a final "N passed, N failed" line.
//   node tools/cedar/difftest.mjs < cases.jsonl
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cedar = createRequire(import.meta.url)(join(here, 'node_modules', '@cedar-policy', 'cedar-wasm', 'nodejs', 'cedar_wasm.js'));

const sameSet = (a, b) => {
  const x = [...new Set(a)].sort(), y = [...new Set(b)].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
};

let passed = 0, failed = 0;
for (const line of readFileSync(0, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const c = JSON.parse(line);
  const answer = cedar.isAuthorized({ principal: c.principal, action: c.action, resource: c.resource, context: c.context,
    policies: { staticPolicies: c.policies, ...(c.templates ? { templates: c.templates, templateLinks: c.templateLinks } : {}) },
    entities: c.entities });
  const ours = c.ours;
  let ok;
  let theirs;
  if (answer.type !== 'success') {
    theirs = { failure: answer.errors.map(e => e.message) };
    ok = 'failure' in ours;
  } else {
    const r = answer.response;
    theirs = { decision: r.decision, reason: r.diagnostics.reason, errors: r.diagnostics.errors.map(e => e.policyId),
      messages: r.diagnostics.errors.map(e => e.error.message) };
    ok = !('failure' in ours) && ours.decision === r.decision && sameSet(ours.reason, r.diagnostics.reason)
      && sameSet(ours.errors, theirs.errors);
  }
  if (ok) passed++;
  else {
    failed++;
    console.log(JSON.stringify({ mismatch: c.id, policies: c.policies, templates: c.templates, templateLinks: c.templateLinks,
      entities: c.entities, principal: c.principal,
      action: c.action, resource: c.resource, context: c.context, ours, theirs }));
  }
}
console.log(`${passed} passed, ${failed} failed`);
