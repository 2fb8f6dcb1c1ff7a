// TEST ONLY: POST /api/test/clock {advance_seconds} moves the serving process's test clock forward
// (services/clock.ts) and runs the background jobs then due (background.ts), answering which ran, so a
// test can pass a rate-limit window, a breaker alert's minutes or a scheduled channel test without
// sleeping. The route is added only when the clock is a test clock, that is when APIYI_TEST_CLOCK_MS
// was set and NODE_ENV=test (config.ts ignores the variable otherwise); on any other server the path
// is unknown (404), as is the clock's `advance`. Admins only, like every write to the server's state.
import { z } from "zod";
import type { Runtime } from "../runtime";
import { validate } from "../services/validate";
import type { routeTable } from "./route";

const Advance = z.object({
  advance_seconds: z
    .number()
    .int()
    .min(0)
    .max(366 * 86_400),
});

export function testClockRoutes({ add }: ReturnType<typeof routeTable>, rt: Runtime) {
  const advance = rt.ctx.clock.advance;
  if (!advance) return;
  add(
    {
      method: "POST",
      path: "/api/test/clock",
      summary: "TEST ONLY (NODE_ENV=test with APIYI_TEST_CLOCK_MS): move the clock on, run the jobs then due",
      tag: "test",
      access: "admin",
      body: Advance,
    },
    async ({ ctx, body }) => {
      advance(validate(Advance, body).advance_seconds * 1000);
      return { now_ms: ctx.clock.nowMs(), now: ctx.now(), ran: await rt.jobs.tick() };
    },
  );
}
