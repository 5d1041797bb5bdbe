// A fake Anthropic Messages API on 127.0.0.1 for driving Claude Code in tests: the first turn
// asks for one tool call (--tool NAME --input JSON), the next turn ends with a text naming what
// the tool said. Every request's body is appended to --log as one JSON line.
import http from "node:http";
import fs from "node:fs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const port = Number(arg("--port", "0"));
const tool = arg("--tool", "Bash");
const input = arg("--input", "{}");
const log = arg("--log", "/dev/null");

const sse = (res, events) => {
  res.writeHead(200, { "content-type": "text/event-stream" });
  for (const [event, data] of events) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  res.end();
};
const start = { type: "message_start", message: { id: "msg_1", type: "message", role: "assistant", model: "m",
  content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } };

function toolResult(body) {
  const users = (body.messages || []).filter((m) => m.role === "user");
  const last = users[users.length - 1];
  if (!last || !Array.isArray(last.content)) return null;
  return last.content.find((c) => c.type === "tool_result") || null;
}

const server = http.createServer((req, res) => {
  let text = "";
  req.on("data", (d) => (text += d));
  req.on("end", () => {
    if (req.method !== "POST") return res.writeHead(200).end();
    let body = {};
    try { body = JSON.parse(text); } catch {}
    fs.appendFileSync(log, JSON.stringify({ url: req.url, body }) + "\n");
    const result = toolResult(body);
    const tools = (body.tools || []).map((t) => t.name);
    if (!result && tools.includes(tool)) {
      return sse(res, [["message_start", start],
        ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "toolu_1", name: tool, input: {} } }],
        ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: input } }],
        ["content_block_stop", { type: "content_block_stop", index: 0 }],
        ["message_delta", { type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 20 } }],
        ["message_stop", { type: "message_stop" }]]);
    }
    const said = result ? (typeof result.content === "string" ? result.content : JSON.stringify(result.content)) : "no tool";
    const reply = `FAKE-DONE error=${result ? Boolean(result.is_error) : "none"} tool said: ${said}`;
    if (body.stream === false) {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ id: "msg_2", type: "message", role: "assistant", model: "m", content: [{ type: "text", text: reply }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } }));
    }
    sse(res, [["message_start", start],
      ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }],
      ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: reply } }],
      ["content_block_stop", { type: "content_block_stop", index: 0 }],
      ["message_delta", { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 5 } }],
      ["message_stop", { type: "message_stop" }]]);
  });
});
server.listen(port, "127.0.0.1", () => console.log(server.address().port));
