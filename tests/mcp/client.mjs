// A real MCP client (the MCP SDK's Client over its StdioClientTransport) driving
// `paddock mcp wrap` around the filesystem server from npm, as an agent's MCP configuration
// would: `paddock` found on PATH, the environment the SDK passes (a few variables only).
//
// usage: node client.mjs DIR CALLS   (CALLS: a JSON array of [tool, arguments])
// Prints one JSON line with the listed tools, then one per call: {name, isError, text}.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [dir, calls] = process.argv.slice(2);
const server = new URL("./node_modules/@modelcontextprotocol/server-filesystem/dist/index.js", import.meta.url);
const transport = new StdioClientTransport({
  command: "paddock",
  args: ["mcp", "wrap", "--server", "fs", "--", "node", server.pathname, dir],
  stderr: "inherit",
});
const client = new Client({ name: "paddock-test", version: "1.0.0" });
await client.connect(transport);
const { tools } = await client.listTools();
console.log(JSON.stringify({ tools: tools.map((t) => t.name) }));
for (const [name, args] of JSON.parse(calls)) {
  const result = await client.callTool({ name, arguments: args });
  console.log(JSON.stringify({ name, isError: Boolean(result.isError), text: result.content?.[0]?.text ?? "" }));
}
await client.close();
