// The cost of the /v1 body checks on the hot path (issue 10, item 9): the duplicate-key and depth scan
// (src/http/json-guard.ts), strict UTF-8 decoding, and JSON.parse for scale, on a typical ~2 KB chat body
// and a ~1 MB one (a long agent conversation with tool schemas). `bun bench/json-guard.ts`; prints µs per
// body (median of rounds) for each step. Pure CPU, no server.
import { jsonHazard } from "../src/http/json-guard";

const tool = (i: number) => ({
  type: "function",
  function: {
    name: `tool_${i}`,
    description: "Reads a file from the workspace and returns its contents with line numbers.",
    parameters: {
      type: "object",
      properties: {
        path: { type: "string", description: "the file" },
        range: { type: "array", items: { type: "integer" } },
      },
      required: ["path"],
    },
  },
});

const typical = JSON.stringify({
  model: "gpt-4o-mini",
  stream: true,
  stream_options: { include_usage: true },
  temperature: 0.2,
  messages: [
    {
      role: "system",
      content: "You are a careful assistant. Answer briefly, cite the file you used, and never invent APIs. ".repeat(4),
    },
    { role: "user", content: "Where does the relay check the request body, and what does it refuse? ".repeat(6) },
    {
      role: "assistant",
      content: null,
      tool_calls: [
        {
          id: "call_1",
          type: "function",
          function: { name: "tool_0", arguments: '{"path":"src/relay/checks/body.ts"}' },
        },
      ],
    },
    {
      role: "tool",
      tool_call_id: "call_1",
      content: "// Checks 6–7: the body's size and that it is a JSON object naming a model\n".repeat(5),
    },
  ],
  tools: [tool(0), tool(1)],
});

const turns: unknown[] = [{ role: "system", content: "You are a coding agent. ".repeat(200) }];
while (JSON.stringify(turns).length < 1_000_000) {
  const i = turns.length;
  turns.push({
    role: "user",
    content: `Step ${i}: read the next file and summarise what it does, with "quotes" and \\ slashes. `.repeat(10),
  });
  turns.push({
    role: "assistant",
    content: null,
    tool_calls: [
      {
        id: `call_${i}`,
        type: "function",
        function: { name: "read", arguments: JSON.stringify({ path: `src/f${i}.ts` }) },
      },
    ],
  });
  turns.push({ role: "tool", tool_call_id: `call_${i}`, content: "export function f() { return 42; }\n".repeat(40) });
}
const large = JSON.stringify({
  model: "claude-sonnet-4",
  stream: true,
  messages: turns,
  tools: Array.from({ length: 40 }, (_, i) => tool(i)),
});

const strict = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder();

function time(label: string, text: string, fn: () => unknown) {
  const perRound = Math.max(1, Math.round(2_000_000 / text.length));
  const rounds: number[] = [];
  for (let r = 0; r < 25; r++) {
    const t0 = Bun.nanoseconds();
    for (let i = 0; i < perRound; i++) fn();
    rounds.push((Bun.nanoseconds() - t0) / perRound / 1000);
  }
  rounds.sort((a, b) => a - b);
  return { label, us: rounds[Math.floor(rounds.length / 2)] };
}

for (const [name, text] of [
  ["typical", typical],
  ["large", large],
] as const) {
  const bytes = new TextEncoder().encode(text);
  if (jsonHazard(text) !== null) throw new Error(`${name}: the scan refused a clean body`);
  const rows = [
    time("jsonHazard (dup keys + depth)", text, () => jsonHazard(text)),
    time("TextDecoder fatal (strict UTF-8)", text, () => strict.decode(bytes)),
    time("TextDecoder (lenient, as before)", text, () => lenient.decode(bytes)),
    time("JSON.parse", text, () => JSON.parse(text)),
  ];
  console.log(`\n${name} body: ${bytes.byteLength.toLocaleString()} bytes`);
  for (const r of rows) console.log(`  ${r.label.padEnd(34)} ${r.us.toFixed(r.us < 10 ? 2 : 0).padStart(9)} µs`);
}
