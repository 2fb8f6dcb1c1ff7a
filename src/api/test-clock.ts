// TEST ONLY: POST /api/test/clock moves the server's clock on by `advance_seconds` and runs the
// background jobs that are then due (background.ts), answering which ran. It exists only when the test
// clock is on (APIYI_TEST_CLOCK_MS, which config.ts honours only with NODE_ENV=test): app.ts does not
// register it otherwise, and ctx.advanceClock refuses outside that case too.
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
      const { advance_seconds } = validate(Advance, body);
      ctx.advanceClock(advance_seconds * 1000);
      return { now: ctx.now(), ran: await rt.jobs.tick() };
    },
  );
}
