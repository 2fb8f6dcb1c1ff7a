// One streamed chat call through the gateway, checked event by event: the bench mock sends content
// events "0,", "1,", … (PACE ms apart when asked); a stream is intact when all of them arrive in order,
// no error event comes, and [DONE] is last. Shared by streams.ts (N at once) and soak.ts (for an hour).

export type Outcome = { ok: boolean; events: number; firstMs: number | null; totalMs: number; why?: string };

/** The request body that makes the bench mock send `events` content events `paceMs` apart. */
export const pacedBody = (events: number, paceMs: number) =>
  JSON.stringify({
    model: "bench-model",
    messages: [{ role: "user", content: "Count." }],
    stream: true,
    bench_events: events,
    bench_pace_ms: paceMs,
  });

/** Checks one SSE event against the expected sequence; returns an error text or null. */
function checkEvent(data: string, state: { next: number; done: boolean }, events: number): string | null {
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

/** Opens one stream and reads it to the end; times are measured from `t0` (performance.now()). */
export async function checkedStream(
  url: string,
  key: string,
  events: number,
  paceMs: number,
  signal: AbortSignal,
  t0 = performance.now(),
): Promise<Outcome> {
  const state = { next: 0, done: false };
  let firstMs: number | null = null;
  const since = () => performance.now() - t0;
  try {
    const res = await fetch(url, {
      method: "POST",
      signal,
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: pacedBody(events, paceMs),
    });
    if (res.status !== 200 || !res.body) {
      await res.body?.cancel();
      return { ok: false, events: 0, firstMs, totalMs: since(), why: `status ${res.status}` };
    }
    const decoder = new TextDecoder();
    let buffer = "";
    const reader = res.body.getReader();
    for (;;) {
      const { value: chunk, done } = await reader.read();
      if (done) break;
      firstMs ??= since();
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!line.startsWith("data: ")) continue;
        const why = checkEvent(line.slice(6), state, events);
        if (why) {
          await reader.cancel();
          return { ok: false, events: state.next, firstMs, totalMs: since(), why };
        }
      }
    }
    const ok = state.done && buffer.trim() === "";
    return {
      ok,
      events: state.next,
      firstMs,
      totalMs: since(),
      why: ok ? undefined : `ended without [DONE] after ${state.next} events`,
    };
  } catch (e) {
    return {
      ok: false,
      events: state.next,
      firstMs,
      totalMs: since(),
      why: (e as Error).name === "TimeoutError" ? "deadline" : (e as Error).message,
    };
  }
}
