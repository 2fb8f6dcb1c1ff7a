// Time to first chunk: sequential streamed chat requests to one URL, each timed from sending the
// request to the arrival of the first `data:` event. The mock paces the stream (3 events 5 ms apart)
// so the first event travels alone: a gateway that buffered would show it here.
// Usage: bun bench/ttfc.ts URL KEY [N]   → prints one JSON line {n, p50Ms, p90Ms, minMs, failed}

export {}; // a module: top-level await, own scope

const [url, key, countArg] = process.argv.slice(2);
const count = Number(countArg ?? 200);
const body = JSON.stringify({
  model: "bench-model",
  messages: [{ role: "user", content: "Say hello." }],
  stream: true,
  bench_events: 3,
  bench_pace_ms: 5,
});
const decoder = new TextDecoder();

/** ms from sending to the first data event, or null when the stream failed or had none. */
async function once(): Promise<number | null> {
  const t0 = performance.now();
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body,
  });
  if (res.status !== 200 || !res.body) return null;
  let first: number | null = null;
  let text = "";
  const reader = res.body.getReader();
  for (;;) {
    const { value: chunk, done } = await reader.read();
    if (done) break;
    text += decoder.decode(chunk, { stream: true });
    if (first === null && text.includes("data:")) first = performance.now() - t0;
  }
  return text.includes("data: [DONE]") ? first : null;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

for (let i = 0; i < 20; i++) await once(); // warm-up: connection pool, JIT
const times: number[] = [];
let failed = 0;
for (let i = 0; i < count; i++) {
  const t = await once();
  if (t === null) failed++;
  else times.push(t);
}
times.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    n: times.length,
    p50Ms: quantile(times, 0.5),
    p90Ms: quantile(times, 0.9),
    minMs: times[0],
    failed,
  }),
);
