// The alert limit holds when two senders alert at once (issue 17): with several instances on one
// PostgreSQL each has its own sender, and a user's balance may cross the threshold on two of them at
// the same moment. The count of what was sent and the new send's row are one transaction, so of two
// alerts at once within a limit of one, exactly one is delivered and the other suppressed. Two senders
// on one services' context stand for two instances: they share only the database. On SQLite, and on
// PostgreSQL when a test database is given.
import { afterAll, describe, expect, test } from "bun:test";
import { loadConfig } from "../../src/config";
import { USER_ROLE } from "../../src/core/status";
import { Alerts } from "../../src/services/alerts";
import { type Ctx, openContext } from "../../src/services/context";
import { writeSettings } from "../../src/services/settings";
import { saveAlertSettings } from "../../src/services/user-alerts";
import { createUser } from "../../src/services/users";
import { describePg, usePgDatabase } from "../support/postgres";
import { startReceiver, waitFor } from "../support/receiver";
import { removeDir, tempDir } from "../support/server";

const receiver = startReceiver();
const dirs: string[] = [];
afterAll(() => {
  receiver.stop();
  for (const d of dirs) removeDir(d);
});

async function twoAtOnce(ctx: Ctx, path: string) {
  await writeSettings(ctx, { alerts_allow_loopback_for_tests: true, alert_user_limit: 1 });
  const u = await createUser(ctx, { username: `alerted${path.slice(1)}`, password: "password-1234" });
  const actor = { id: u.id, username: u.username, role: USER_ROLE.user };
  await saveAlertSettings(ctx, actor, {
    notify_type: "webhook",
    quota_warning_threshold: 5_000,
    webhook_url: receiver.url + path,
  });
  const senders = [new Alerts(ctx, ctx.breakers), new Alerts(ctx, ctx.breakers)];
  for (const s of senders) s.balanceLow(u.id, 4_000, 5_000);
  const rows = await waitFor(async () => {
    const sends = await ctx.store.alerts.recent(u.id);
    return sends.length === 2 && sends.every((r) => r.status !== "pending") ? sends : undefined;
  }, "both sends recorded");
  await Promise.all(senders.flatMap((s) => [...s.inflight]));
  expect(rows.map((r) => r.status).sort()).toEqual(["delivered", "suppressed"]);
  expect(receiver.at(path)).toHaveLength(1);
}

describe("two senders at once on SQLite", () => {
  test("a limit of one: one delivered, one suppressed", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const ctx = await openContext(loadConfig({}, { APIYI_DATA_DIR: dir }));
    try {
      await twoAtOnce(ctx, "/lite");
    } finally {
      await ctx.close();
    }
  });
});

describePg("two senders at once on PostgreSQL", () => {
  const db = usePgDatabase();
  test("a limit of one: one delivered, one suppressed", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const env = {
      APIYI_DATA_DIR: dir,
      APIYI_DATABASE_URL: db.url,
      APIYI_SECRET: "alerts-test-secret-0123456789abcdefghijkl",
    };
    const ctx = await openContext(loadConfig({}, env));
    try {
      await twoAtOnce(ctx, "/pg");
    } finally {
      await ctx.close();
    }
  });
});
