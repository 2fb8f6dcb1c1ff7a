// The paced scenario's client: opens N concurrent streamed chat requests at once (the mock sends
// each one EVENTS content events PACE ms apart) and checks that every stream arrives intact: all
// content events in order ("0,", "1,", …), no error event, and [DONE] last.
// Run it with BUN_CONFIG_MAX_HTTP_REQUESTS above N, or Bun's fetch keeps only 256 requests in flight.
// Usage: bun bench/streams.ts URL KEY N EVENTS PACE_MS DEADLINE_S
//   → prints one JSON line {streams, intact, events, wallMs, firstEvent: {p50Ms, maxMs}, durationMs: {p50Ms, maxMs}, failures}

export {}; // a module: top-level await, own scope

const [url, key, nArg, eventsArg, paceArg, deadlineArg] = process.argv.slice(2);
const streams = Number(nArg);
const events = Number(eventsArg);
const pace = Number(paceArg);
const deadline = AbortSignal.timeout(Number(deadlineArg) * 1000);
const body = JSON.stringify({ model: "bench-model", messages: [{ role: "user", content: "Count." }], stream: true, bench_events: events, bench_pace_ms: pace });

type Outcome = { ok: boolean; events: number; firstMs: number | null; totalMs: number; why?: string };

/** Checks one SSE event against the expected sequence; returns an error text or null. */
function checkEvent(data: string, state: { next: number; done: boolean }): string | null {
  if (state.done) return "event after [DONE]";
  if (data === "[DONE]") {
    state.done = true;
    return state.next === events ? null : `[DONE] after ${state.next} of ${events} events`;
  }
  const obj = JSON.parse(data);
  if (obj.error) return `error event: ${obj.error.code ?? obj.error.message}`;
  const content = obj.choices?.[0]?.delta?.content;
  if (content === undefined || content === null) return null;
  if (content !== `${state.next},`) return `expected "${state.next},", got ${JSON.stringify(content)}`;
  state.next++;
  return null;
}

async function oneStream(t0: number): Promise<Outcome> {
  const state = { next: 0, done: false };
  let firstMs: number | null = null;
  try {
    const res = await fetch(url, { method: "POST", signal: deadline, headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body });
    if (res.status !== 200 || !res.body) return { ok: false, events: 0, firstMs, totalMs: performance.now() - t0, why: `status ${res.status}` };
    const decoder = new TextDecoder();
    let buffer = "";
    const reader = res.body.getReader();
    for (;;) {
      const { value: chunk, done } = await reader.read();
      if (done) break;
      firstMs ??= performance.now() - t0;
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!line.startsWith("data: ")) continue;
        const why = checkEvent(line.slice(6), state);
        if (why) return { ok: false, events: state.next, firstMs, totalMs: performance.now() - t0, why };
      }
    }
    const ok = state.done && buffer.trim() === "";
    return { ok, events: state.next, firstMs, totalMs: performance.now() - t0, why: ok ? undefined : `ended without [DONE] after ${state.next} events` };
  } catch (e) {
    return { ok: false, events: state.next, firstMs, totalMs: performance.now() - t0, why: (e as Error).name === "TimeoutError" ? "deadline" : (e as Error).message };
  }
}

const quantile = (xs: number[], q: number) => {
  const s = xs.toSorted((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]) : null;
};

const t0 = performance.now();
const outcomes = await Promise.all(Array.from({ length: streams }, () => oneStream(t0)));
const failures: Record<string, number> = {};
for (const o of outcomes) if (!o.ok) failures[o.why!] = (failures[o.why!] ?? 0) + 1;
const firsts = outcomes.flatMap((o) => (o.firstMs === null ? [] : [o.firstMs]));
const totals = outcomes.map((o) => o.totalMs);
console.log(
  JSON.stringify({
    streams,
    intact: outcomes.filter((o) => o.ok).length,
    events: outcomes.reduce((a, o) => a + o.events, 0),
    wallMs: Math.round(performance.now() - t0),
    firstEvent: { p50Ms: quantile(firsts, 0.5), maxMs: quantile(firsts, 1) },
    durationMs: { p50Ms: quantile(totals, 0.5), maxMs: quantile(totals, 1) },
    failures,
  }),
);
