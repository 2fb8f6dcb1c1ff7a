// A minimal, fast OpenAI-compatible upstream for the benchmark (not the test mock): POST
// /v1/chat/completions answers a small fixed JSON with usage, or, with "stream": true, N SSE
// events, a finish event, a usage-only event and [DONE]. N and the pace between events come from
// the body ("bench_events", "bench_pace_ms") or the query (?events=&pace_ms=); defaults 20 and 0.
// Event i carries the content "<i>," so a client can check order. Unpaced streams are pre-built once
// per N and written as one chunk (chunked encoding, like a real SSE upstream); paced ones write
// event i at start + i × pace (the first at once).
// Usage: bun bench/mock.ts [--port P]   (prints "listening <port>" on stdout; port 0 = any free)

const CREATED = 1_700_000_000;
const encoder = new TextEncoder();

const JSON_BODY = encoder.encode(
  JSON.stringify({
    id: "chatcmpl-bench",
    object: "chat.completion",
    created: CREATED,
    model: "bench-model",
    choices: [
      { index: 0, message: { role: "assistant", content: "Hello from the bench mock." }, finish_reason: "stop" },
    ],
    usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
  }),
);

const chunk = (delta: object, finish: string | null) =>
  `data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":${CREATED},"model":"bench-model","choices":[{"index":0,"delta":${JSON.stringify(delta)},"finish_reason":${finish ? `"${finish}"` : "null"}}]}\n\n`;

/** The SSE events of a stream with n content events: content events, finish, usage, [DONE]. */
function events(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push(chunk(i === 0 ? { role: "assistant", content: `${i},` } : { content: `${i},` }, null));
  out.push(chunk({}, "stop"));
  out.push(
    `data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":${CREATED},"model":"bench-model","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":${n},"total_tokens":${12 + n}}}\n\n`,
  );
  out.push("data: [DONE]\n\n");
  return out;
}

const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache" };
const unpacedCache = new Map<number, Uint8Array>();

function unpacedStream(n: number): Response {
  let bytes = unpacedCache.get(n);
  if (!bytes) unpacedCache.set(n, (bytes = encoder.encode(events(n).join(""))));
  const body = bytes;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(body);
      controller.close();
    },
  });
  return new Response(stream, { headers: SSE_HEADERS });
}

function pacedStream(n: number, paceMs: number, signal: AbortSignal): Response {
  const all = events(n);
  const parts = all.slice(0, n).map((e) => encoder.encode(e));
  const tail = encoder.encode(all.slice(n).join(""));
  const start = performance.now();
  let i = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (i > 0 && i < n) await Bun.sleep(Math.max(0, start + i * paceMs - performance.now()));
        if (signal.aborted) return controller.close();
        // after the last content event, the finish, usage and [DONE] events go out together
        if (i >= n) {
          controller.enqueue(tail);
          return controller.close();
        }
        controller.enqueue(parts[i++]);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(stream, { headers: SSE_HEADERS });
}

const num = (v: unknown, fallback: number) =>
  v === undefined || v === null || v === "" || !Number.isFinite(Number(v)) ? fallback : Number(v);

async function chat(req: Request): Promise<Response> {
  const body = (await req.json()) as Record<string, unknown>;
  if (body.stream !== true) return new Response(JSON_BODY, { headers: { "content-type": "application/json" } });
  const query = new URL(req.url).searchParams;
  const n = Math.max(1, Math.floor(num(body.bench_events ?? query.get("events"), 20)));
  const pace = Math.max(0, num(body.bench_pace_ms ?? query.get("pace_ms"), 0));
  return pace > 0 ? pacedStream(n, pace, req.signal) : unpacedStream(n);
}

export function startMock(port = 0) {
  return Bun.serve({
    hostname: "127.0.0.1",
    port,
    idleTimeout: 0,
    routes: { "/v1/chat/completions": { POST: chat } },
    fetch: () => new Response("not found", { status: 404 }),
  });
}

if (import.meta.main) {
  const at = process.argv.indexOf("--port");
  const server = startMock(at > 0 ? Number(process.argv[at + 1]) : 0);
  console.log(`listening ${server.port}`);
}
