// Runtime settings take effect while the server runs: breaker thresholds, trusted proxies, the
// default hold cap; and log retention deletes old call rows, system calls included (keeping top-ups
// and the rollups).
import { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { LOG_TYPE } from "../../../src/core/status";
import { expectReply } from "../../support/expect";
import { startMockUpstream } from "../../support/mock-upstream";
import {
  ADMIN_PASSWORD,
  call,
  client,
  login,
  priceModels,
  startServer,
  tempDir,
  removeDir,
} from "../../support/server";
import { sqliteOnly } from "../../support/backend";

const mock = startMockUpstream({ models: ["s-model"] });
afterAll(() => mock.stop());

const chat = (url: string, key: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify({ model: "s-model", messages: [{ role: "user", content: "hi" }], max_tokens: 10 }),
  });

test("breaker threshold, trusted proxies and the default hold cap apply without a restart", async () => {
  const server = await startServer();
  try {
    const auth = await login(server.url, "admin", ADMIN_PASSWORD);
    const admin = client(server.url, auth);
    expectReply(
      await admin.put("/api/setting", {
        breaker_failures: 2,
        breaker_cooldown_seconds: 600,
        default_hold_cap_tokens: 123,
      }),
      200,
    );
    expectReply(
      await admin.post("/api/channel/", {
        name: "bad",
        base_url: mock.urlFor("status=500"),
        key: "sk-bad",
        models: "s-model",
        priority: 10,
      }),
      201,
    );
    expectReply(
      await admin.post("/api/channel/", { name: "good", base_url: mock.url, key: "sk-good", models: "s-model" }),
      201,
    );
    await priceModels(server.url, auth, "s-model");
    const price = expectReply(await admin.get("/api/pricing/"), 200).items.find(
      (p: { model: string }) => p.model === "s-model",
    );
    expect(price.hold_cap_tokens).toBe(123);

    const token = expectReply(
      await admin.post("/api/token/", { name: "s", unlimited_quota: true, allow_ips: ["10.0.0.0/8"] }),
      201,
    );
    const open = expectReply(await admin.post("/api/token/", { name: "s-open", unlimited_quota: true }), 201);
    const badHits = () => mock.requests.filter((r) => r.headers.authorization === "Bearer sk-bad").length;
    for (let i = 0; i < 3; i++) expect((await chat(server.url, open.key)).status).toBe(200);
    expect(badHits()).toBe(2); // opened after two failures, then skipped

    expect((await chat(server.url, token.key, { "x-forwarded-for": "10.1.2.3" })).status).toBe(403);
    expectReply(await admin.put("/api/setting", { trusted_proxies: "127.0.0.1, ::1" }), 200);
    expect((await chat(server.url, token.key, { "x-forwarded-for": "10.1.2.3" })).status).toBe(200);
    expectReply(await admin.put("/api/setting", { trusted_proxies: ["not-an-ip"] }), 422);
  } finally {
    await server.stop();
    removeDir(server.dataDir);
  }
});

sqliteOnly("log retention deletes old call rows at start, keeping top-ups and the daily rollups", async () => {
  const dataDir = tempDir();
  let server = await startServer({ dataDir });
  try {
    const auth = await login(server.url, "admin", ADMIN_PASSWORD);
    const admin = client(server.url, auth);
    expectReply(await admin.put("/api/setting", { log_retention_days: 2 }), 200);
    await server.stop();
    // rows from ten days ago, as the ledger would have written them
    const db = new Database(join(dataDir, "apiyi.db"));
    const old = Date.now() - 10 * 86_400_000;
    for (const type of [LOG_TYPE.consume, LOG_TYPE.error, LOG_TYPE.topup, LOG_TYPE.system]) {
      db.run("INSERT INTO logs (created_at, type, user_id, quota) VALUES (?, ?, 1, ?)", [
        old,
        type,
        type === LOG_TYPE.topup ? 500_000 : 7,
      ]);
    }
    db.run(
      "INSERT INTO usage_daily (day, user_id, token_id, model, \"group\", calls, quota) VALUES ('2026-01-01', 1, 1, 'm', 'default', 2, 7)",
    );
    db.close();

    server = await startServer({ dataDir });
    const again = client(server.url, await login(server.url, "admin", ADMIN_PASSWORD));
    const rows = expectReply(await again.get("/api/log/self?pageSize=50"), 200).items as { type: number }[];
    expect(rows.map((r) => r.type)).toEqual([LOG_TYPE.topup]); // the top-up stays, the two call rows went
    const check = new Database(join(dataDir, "apiyi.db"), { readonly: true });
    expect((check.query("SELECT count(*) AS n FROM usage_daily").get() as { n: number }).n).toBe(1);
    // the scheduled channel test's system calls are call rows too
    expect(check.query("SELECT count(*) AS n FROM logs WHERE type = ?").get(LOG_TYPE.system)).toEqual({ n: 0 });
    check.close();
  } finally {
    await server.stop();
    removeDir(dataDir);
  }
});

test("settings are validated by name", async () => {
  const server = await startServer();
  try {
    const admin = client(server.url, await login(server.url, "admin", ADMIN_PASSWORD));
    const r = await call(server.url, "PUT", "/api/setting", { breaker_failures: 0 }, undefined);
    expect(r.status).toBe(401);
    const bad = await admin.put("/api/setting", { log_retention_days: -1 });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toContain("log_retention_days");
  } finally {
    await server.stop();
    removeDir(server.dataDir);
  }
});
