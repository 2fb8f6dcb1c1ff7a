// TEST ONLY: POST /api/test/clock {advance_seconds} moves the serving process's test clock forward
// (services/clock.ts), so a test can pass a rate-limit window or a breaker alert's minutes without
// sleeping. The route is added only when the clock is a test clock, that is when APIYI_TEST_CLOCK_MS
// was set and NODE_ENV=test (config.ts ignores the variable otherwise); on any other server the path
// is unknown (404), as is the clock's `advance`. Admins only, like every write to the server's state.
import { z } from "zod";
import { validate } from "../services/validate";
import type { routeTable } from "./route";

const Advance = z.object({
  advance_seconds: z
    .number()
    .int()
    .min(0)
    .max(366 * 86_400),
});

export function testClockRoutes({ add }: ReturnType<typeof routeTable>, advance: ((ms: number) => void) | null) {
  if (!advance) return;
  add(
    {
      method: "POST",
      path: "/api/test/clock",
      summary: "TEST ONLY (NODE_ENV=test with APIYI_TEST_CLOCK_MS): move the test clock forward",
      tag: "test",
      access: "admin",
      body: Advance,
    },
    ({ ctx, body }) => {
      advance(validate(Advance, body).advance_seconds * 1000);
      return { now_ms: ctx.clock.nowMs() };
    },
  );
}
