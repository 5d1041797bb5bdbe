// Tool calls through the MCP interposer against the same server without it, alternating, in
// one sandbox: the MCP SDK's client calls read_text_file on a small file N times per round on
// each path, and the per-call latencies are compared (bench/mcp/compare runs it).
//
// usage: node calls.mjs MCP_DIR DATA_DIR CALLS ROUNDS
//   MCP_DIR: tests/mcp (its node_modules holds the SDK and the filesystem server)
const [mcpDir, dataDir, callsText, roundsText] = process.argv.slice(2);
const calls = Number(callsText), rounds = Number(roundsText);
const { Client } = await import(`${mcpDir}/node_modules/@modelcontextprotocol/sdk/dist/esm/client/index.js`);
const { StdioClientTransport } = await import(`${mcpDir}/node_modules/@modelcontextprotocol/sdk/dist/esm/client/stdio.js`);
const server = `${mcpDir}/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js`;

async function measure(wrapped) {
  const command = wrapped ? "paddock" : "node";
  const args = wrapped ? ["mcp", "wrap", "--server", "fs", "--", "node", server, dataDir] : [server, dataDir];
  const client = new Client({ name: "paddock-bench", version: "1.0.0" });
  await client.connect(new StdioClientTransport({ command, args, stderr: "ignore" }));
  const times = [];
  for (let i = 0; i < calls; ++i) {
    const start = process.hrtime.bigint();
    const result = await client.callTool({ name: "read_text_file", arguments: { path: `${dataDir}/small.txt` } });
    times.push(Number(process.hrtime.bigint() - start) / 1000);
    if (result.isError) throw new Error(`call ${i} failed: ${JSON.stringify(result)}`);
  }
  await client.close();
  return times;
}

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const p99 = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length * 0.99)];
const direct = [], wrapped = [];
for (let r = 0; r < rounds; ++r) {
  direct.push(...(await measure(false)));
  wrapped.push(...(await measure(true)));
}
console.log(`MCP tool calls, ${rounds} alternating rounds of ${calls} calls each (read_text_file, MCP SDK client)`);
console.log(`| path | p50 per call | p99 per call |`);
console.log(`|---|---|---|`);
console.log(`| server alone | ${median(direct).toFixed(0)} µs | ${p99(direct).toFixed(0)} µs |`);
console.log(`| through paddock mcp wrap | ${median(wrapped).toFixed(0)} µs | ${p99(wrapped).toFixed(0)} µs |`);
console.log(`added per call (p50): ${(median(wrapped) - median(direct)).toFixed(0)} µs`);
