// Test helpers for the mock upstream's own tests (not used by the mock): an SSE reader that understands
// every format's framing (event names, LF or CRLF separators) and a rejection catcher.

/** Reads an SSE body to its end: each event's data payload and name (null when unnamed), when each
 * arrived (ms since start), and how it ended (the read error after a cut, else null). */
export async function readSSE(res: Response) {
  const t0 = Date.now();
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: string[] = [];
  const names: (string | null)[] = [];
  const times: number[] = [];
  let buf = "";
  const take = (block: string) => {
    const lines = block.split(/\r?\n/);
    names.push(lines.find((l) => l.startsWith("event: "))?.slice(7) ?? null);
    events.push(
      lines
        .filter((l) => l.startsWith("data: "))
        .map((l) => l.slice(6))
        .join("\n"),
    );
    times.push(Date.now() - t0);
  };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return { events, names, times, error: null as Error | null };
      buf += decoder.decode(value, { stream: true });
      let m: RegExpExecArray | null;
      while ((m = /\r?\n\r?\n/.exec(buf))) {
        take(buf.slice(0, m.index));
        buf = buf.slice(m.index + m[0].length);
      }
    }
  } catch (e) {
    return { events, names, times, error: e as Error };
  }
}

/** The data payloads parsed as JSON. */
export const parsed = (events: string[]) => events.map((e) => JSON.parse(e));

/** The error a promise rejects with. */
export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

/** A POST with a JSON body. */
export const postJSON = (url: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
    signal,
  });
