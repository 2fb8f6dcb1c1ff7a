// The test-only clock route, POST /api/test/clock {advance_seconds}: it exists only on a server whose
// clock is a test clock (APIYI_TEST_CLOCK_MS under NODE_ENV=test). A server started without the
// variable, or with it under NODE_ENV=production, answers 404 even to an admin (and does not list it
// in /openapi.json); on a test clock anonymous callers get 401, users 403, and an admin moves it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { expectReply } from "../../support/expect";
import {
  ADMIN_PASSWORD,
  call,
  login,
  makeUser,
  removeDir,
  startServer,
  testClock,
  useServer,
  type Server,
} from "../../support/server";

const ADVANCE = { advance_seconds: 60 };

/** An admin's POST /api/test/clock and whether /openapi.json lists the route. */
async function tryClock(base: string) {
  const admin = await login(base, "admin", ADMIN_PASSWORD);
  const r = await call(base, "POST", "/api/test/clock", ADVANCE, admin);
  const doc = await call(base, "GET", "/openapi.json");
  return { status: r.status, listed: "/api/test/clock" in doc.body.paths };
}

describe("no test clock: no route", () => {
  const plain = useServer();
  let production: Server;
  beforeAll(async () => {
    production = await startServer({ env: { NODE_ENV: "production", ...testClock(Date.UTC(2020, 0, 1)) } });
  });
  afterAll(async () => {
    await production?.stop();
    if (production) removeDir(production.dataDir);
  });

  test("without APIYI_TEST_CLOCK_MS: 404, not in the API document", async () => {
    expect(await tryClock(plain.url)).toEqual({ status: 404, listed: false });
  });

  test("APIYI_TEST_CLOCK_MS under NODE_ENV=production: ignored, 404", async () => {
    expect(await tryClock(production.url)).toEqual({ status: 404, listed: false });
  });
});

describe("on a test clock", () => {
  const app = useServer({ env: testClock() });

  test("anonymous 401, a user 403, an admin moves the clock forward", async () => {
    const admin = await login(app.url, "admin", ADMIN_PASSWORD);
    const user = await makeUser(app.url, admin, "clock-user");
    expect((await call(app.url, "POST", "/api/test/clock", ADVANCE)).status).toBe(401);
    expect((await call(app.url, "POST", "/api/test/clock", ADVANCE, user.auth)).status).toBe(403);
    const before = expectReply(await call(app.url, "POST", "/api/test/clock", { advance_seconds: 0 }, admin), 200);
    const after = expectReply(await call(app.url, "POST", "/api/test/clock", { advance_seconds: 3600 }, admin), 200);
    expect(after.now_ms - before.now_ms).toBeGreaterThanOrEqual(3_600_000);
    expect((await call(app.url, "POST", "/api/test/clock", { advance_seconds: -1 }, admin)).status).toBe(422);
  });
});
