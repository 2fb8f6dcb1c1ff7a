// The HTTP server: /v1 and /v1beta as plain Bun routes straight into the relay pipeline (the hot path), every
// other path through the Elysia app (management API, console, health, metrics).
// Every route reads its body under its own limit (relay/checks/body.ts, http/read-body.ts); Bun's own cap
// (128 MiB by default) is lowered to twice the largest of them (plus 1 MiB), so that a body up to
// twice a route's limit still gets that route's 413 in its own shape (or 401 when the caller is
// unknown), while a bigger one is refused by Bun with a bare 413 before anything reaches the app.
// Neither is buffered: a route refuses a declared length before reading, and unread bodies are not kept.
import type { createApp } from "./app";
import { relayFallback, relayRoutes } from "./relay/entry/paths";
import type { Runtime } from "./runtime";

/** Bun's cap from the /v1 limit (--max-body-mb) or the management limit at start, whichever is larger
 * (a management_body_limit_kb raised above that later takes full effect after a restart). */
export const serverBodyCap = (rt: Runtime) =>
  2 * Math.max(rt.maxBodyBytes, rt.ctx.snapshot.current.relay.managementBodyBytes) + 1024 * 1024;

export function listen(rt: Runtime, app: ReturnType<typeof createApp>, port: number, hostname: string) {
  const server = Bun.serve({
    port,
    hostname,
    maxRequestBodySize: serverBodyCap(rt),
    routes: relayRoutes(rt),
    fetch(req) {
      const path = new URL(req.url).pathname;
      return path.startsWith("/v1/") || path.startsWith("/v1beta/") ? relayFallback(req, path) : app.handle(req);
    },
  });
  // Elysia reads the server from here for requestIP (login lock-out, logs)
  app.server = server;
  return server;
}
