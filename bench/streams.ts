// The paced scenario's client: opens N concurrent streamed chat requests at once (the mock sends
// each one EVENTS content events PACE ms apart) and checks that every stream arrives intact: all
// content events in order ("0,", "1,", …), no error event, and [DONE] last (stream-check.ts).
// Run it with BUN_CONFIG_MAX_HTTP_REQUESTS above N, or Bun's fetch keeps only 256 requests in flight.
// Usage: bun bench/streams.ts URL KEY N EVENTS PACE_MS DEADLINE_S
//   → prints one JSON line {streams, intact, events, wallMs, firstEvent: {p50Ms, maxMs}, durationMs: {p50Ms, maxMs}, failures}

import { checkedStream } from "./stream-check";

const [url, key, nArg, eventsArg, paceArg, deadlineArg] = process.argv.slice(2);
const streams = Number(nArg);
const events = Number(eventsArg);
const pace = Number(paceArg);
const deadline = AbortSignal.timeout(Number(deadlineArg) * 1000);

const quantile = (xs: number[], q: number) => {
  const s = xs.toSorted((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]) : null;
};

const t0 = performance.now();
const outcomes = await Promise.all(
  Array.from({ length: streams }, () => checkedStream(url, key, events, pace, deadline, t0)),
);
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
