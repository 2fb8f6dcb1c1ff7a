// The "bare Bun pass-through" baseline: Bun.serve that forwards each request to the upstream with
// fetch and returns the upstream's body as it is (no auth, no parsing, no metering, no logging).
// It is the ceiling for any gateway written on Bun.
// Usage: bun bench/bare.ts --upstream http://127.0.0.1:PORT [--port P]   (prints "listening <port>")

function arg(name: string, fallback?: string): string {
  const at = process.argv.indexOf(name);
  const value = at > 0 ? process.argv[at + 1] : fallback;
  if (value === undefined) throw new Error(`bare.ts: ${name} is required`);
  return value;
}

export function startBare(upstream: string, port = 0) {
  return Bun.serve({
    hostname: "127.0.0.1",
    port,
    idleTimeout: 0,
    async fetch(req) {
      const path = req.url.slice(req.url.indexOf("/", 8));
      const up = await fetch(upstream + path, {
        method: req.method,
        headers: { "content-type": "application/json", authorization: req.headers.get("authorization") ?? "" },
        body: await req.arrayBuffer(),
      });
      return new Response(up.body, {
        status: up.status,
        headers: { "content-type": up.headers.get("content-type") ?? "application/json" },
      });
    },
  });
}

if (import.meta.main) {
  const server = startBare(arg("--upstream"), Number(arg("--port", "0")));
  console.log(`listening ${server.port}`);
  process.on("SIGTERM", () => process.exit(0)); // a clean exit, so `bun --cpu-prof` writes its profile
}
