// The HTTP server: /v1 and /v1beta as plain Bun routes straight into the relay pipeline (the hot path), every
// other path through the Elysia app (management API, console, health, metrics).
import type { createApp } from "./app";
import { relayFallback, relayRoutes } from "./relay/routes";
import type { Runtime } from "./relay/runtime";

export function listen(rt: Runtime, app: ReturnType<typeof createApp>, port: number, hostname: string) {
  const server = Bun.serve({
    port,
    hostname,
    routes: relayRoutes(rt),
    fetch(req) {
      const path = new URL(req.url).pathname;
      return path.startsWith("/v1/") || path.startsWith("/v1beta/") ? relayFallback(req, path) : app.handle(req);
    },
  });
  // Elysia reads the server from here for requestIP (login lock-out, logs)
  (app as unknown as { server: Bun.Server<unknown> }).server = server;
  return server;
}
