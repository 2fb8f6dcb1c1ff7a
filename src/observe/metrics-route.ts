// GET /metrics (Prometheus text): for admins (session or access token) or the configured scrape
// token sent as a bearer token.
import { timingSafeEqual } from "node:crypto";
import { Elysia } from "elysia";
import { accessTokenFrom, parseCookies } from "../api/route";
import type { Runtime } from "../runtime";
import { USER_ROLE } from "../core/status";
import { authenticate, SESSION_COOKIE } from "../services/auth";

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

async function allowed(rt: Runtime, request: Request): Promise<boolean> {
  const bearer = accessTokenFrom(request.headers.get("authorization"));
  if (rt.metricsToken && bearer && same(bearer, rt.metricsToken)) return true;
  try {
    const actor = await authenticate(rt.ctx, {
      accessToken: bearer,
      sessionId: parseCookies(request.headers.get("cookie"))[SESSION_COOKIE],
    });
    return actor?.role === USER_ROLE.admin;
  } catch {
    return false;
  }
}

export const metricsRoute = (rt: Runtime) =>
  new Elysia().get("/metrics", async ({ request }) => {
    if (!(await allowed(rt, request)))
      return new Response("metrics need an admin's access token or the scrape token\n", { status: 401 });
    const now = rt.ctx.clock.nowMs();
    const breakers = [...rt.ctx.snapshot.current.channelsById.keys()].map((channel) => ({
      channel,
      state: rt.breakers.state(channel, now),
    }));
    const cp = rt.checkpoints;
    const checkpoints = cp && { running: cp.running(), copied: cp.copied() };
    return new Response(rt.metrics.render({ logQueueDepth: rt.ctx.ledger.depth, breakers, checkpoints }), {
      headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
    });
  });
