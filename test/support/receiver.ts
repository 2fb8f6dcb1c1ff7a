// Test support: a webhook receiver on 127.0.0.1 (random port) that records every request. Paths pick
// the answer: /fail/… answers 500, /redirect/… a 302 to /moved (recorded if ever followed), anything
// else 200.
export type Received = { path: string; headers: Headers; body: string };

export function startReceiver() {
  const received: Received[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const path = new URL(req.url).pathname;
      received.push({ path, headers: req.headers, body: await req.text() });
      if (path.startsWith("/fail")) return new Response("down", { status: 500 });
      if (path.startsWith("/redirect")) return new Response(null, { status: 302, headers: { location: "/moved" } });
      return new Response("ok");
    },
  });
  const url = `http://127.0.0.1:${server.port}`;
  return {
    url,
    received,
    /** requests to exactly this path */
    at: (path: string) => received.filter((r) => r.path === path),
    stop: () => server.stop(true),
  };
}

/** Polls `probe` until it returns a value other than undefined (at most `ms`). */
export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, ms = 15_000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(25);
  }
}
