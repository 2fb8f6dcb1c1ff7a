// What translation costs: the same upstream call (the bench mock speaks OpenAI chat) asked for in
// each client format — chat passed through, Anthropic Messages and OpenAI Responses translated to
// chat and back — non-stream and SSE (20 events), 50 connections, in one run, against one apiyi.
// Prints RPS, CPU µs per call and the µs per call each translation adds over chat.
// Usage: bun bench/formats.ts [--quick]
import { join } from "node:path";
import {
  apiyiCmd,
  ensureWrk,
  keepApiyiUsable,
  measured,
  runMain,
  startApiyi,
  startScript,
  stopApiyi,
  TMP,
  wrk,
  wrkPostScript,
  type Mode,
} from "./lib";

const QUICK = process.argv.includes("--quick");
const RUN_S = QUICK ? 3 : 8;
const CONNS = 50;

type Format = { name: string; path: string; body: (mode: Mode) => object };

const FORMATS: Format[] = [
  {
    name: "chat (pass-through)",
    path: "/v1/chat/completions",
    body: (m) => ({ model: "bench-model", stream: m === "sse", messages: [{ role: "user", content: "Say hello." }] }),
  },
  {
    name: "Anthropic Messages → chat",
    path: "/v1/messages",
    body: (m) => ({
      model: "bench-model",
      max_tokens: 256,
      stream: m === "sse",
      messages: [{ role: "user", content: "Say hello." }],
    }),
  },
  {
    name: "Responses → chat",
    path: "/v1/responses",
    body: (m) => ({ model: "bench-model", stream: m === "sse", input: "Say hello." }),
  },
];

async function main() {
  ensureWrk();
  const mock = await startScript("direct", 0, "bench/mock.ts", []);
  const apiyi = await startApiyi(mock.port, join(TMP, "data"));
  const rows: string[] = [];
  for (const mode of ["json", "sse"] as Mode[]) {
    let chatCpu = 0;
    for (const [i, f] of FORMATS.entries()) {
      const script = wrkPostScript(`${mode}-${i}`, JSON.stringify(f.body(mode)), {
        Authorization: `Bearer ${apiyi.key}`,
      });
      await wrk(apiyi.port, script, CONNS, 1, f.path); // warm-up
      await keepApiyiUsable(apiyi);
      const { result, usage } = await measured(apiyi.workPid ?? apiyi.pid, () =>
        wrk(apiyi.port, script, CONNS, RUN_S, f.path),
      );
      const cpu = usage && result.requests ? usage.cpuUs / result.requests : NaN;
      if (i === 0) chatCpu = cpu;
      rows.push(
        `| ${mode} | ${f.name} | ${result.rps.toFixed(0)} | ${cpu.toFixed(1)} | ${i === 0 ? "–" : `+${(cpu - chatCpu).toFixed(1)}`} | ${result.p50.toFixed(3)} | ${result.errors} |`,
      );
      console.error(
        `  ${mode} ${f.name}: ${result.rps.toFixed(0)} rps, ${cpu.toFixed(1)} µs CPU/call, ${result.errors} errors`,
      );
    }
  }
  await stopApiyi(apiyi);
  console.log(`## Translation cost (${CONNS} connections, ${RUN_S} s per cell; apiyi: \`${apiyiCmd().join(" ")}\`)\n`);
  console.log(
    "| mode | client format | RPS | CPU µs/call | vs chat | p50 ms | errors |\n|---|---|---|---|---|---|---|",
  );
  console.log(rows.join("\n"));
}

await runMain("bench", main);
