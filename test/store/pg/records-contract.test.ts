// Contract: the PostgreSQL twins of the log, alert and redemption stores answer exactly what SQLite's
// answer, method by method, with the same inputs (inserts, reads, not-found, pages and filters with
// keywords holding %, _ and mixed case, retention's deletes, codes redeemed once), and a write inside
// a PostgreSQL transaction that throws is rolled back. Video jobs: videos-contract.test.ts.
import { expect, test } from "bun:test";
import { LOG_TYPE, REDEMPTION_STATUS } from "../../../src/core/status";
import type { NewLog } from "../../../src/store/logs";
import { describePg } from "../../support/postgres";
import { useRecordStores } from "../../support/record-stores";

describePg("log, alert and redemption stores: PostgreSQL answers what SQLite answers", () => {
  const { pair, stores, both } = useRecordStores();

  test("logs: inserts, pages under every filter, top-ups, retention's deletes", async () => {
    const { topup, consume, admin, system, error } = LOG_TYPE;
    const rows: NewLog[] = [
      { createdAt: 1000, type: topup, userId: 7, username: "Alice", quota: 500, content: "top-up" },
      { createdAt: 1000, type: consume, userId: 7, model: "gpt-x", tokenName: "T1", requestId: "r1", quota: 3 },
      { createdAt: 1000, type: error, userId: 8, model: "gpt-x", group: "vip", requestId: "r2", statusCode: 502 },
      { createdAt: 2000, type: admin, userId: 8, quota: -20, other: '{"by":"root"}' },
      { createdAt: 2000, type: system, userId: 7, endpoint: "test", model: "claude" },
      { createdAt: 3000, type: consume, userId: 8, endpoint: "videos", isStream: true, attempts: '[{"ms":1}]' },
      { createdAt: 3000, type: consume, userId: 7, model: "claude", tokenName: "T2", requestId: "r1" },
      { createdAt: 4000, type: topup, userId: 8, quota: 100 },
    ];
    for (const row of rows) await both((s) => s.logs.insert(row));
    const filters = [
      {},
      { userId: 7 },
      { userId: 7, requestId: "r1" },
      { requestId: "r1" },
      { type: topup },
      { type: consume, userId: 7 },
      { model: "gpt-x" },
      { tokenName: "T2" },
      { group: "vip" },
      { endpoint: "videos" },
      { from: 2000, to: 3000 },
      { from: 3500 },
      { userId: 99 },
    ];
    for (const f of filters)
      for (const [offset, limit] of [
        [0, 50],
        [1, 2],
        [10, 5],
      ] as const)
        await both((s) => s.logs.page(f, offset, limit));
    expect((await both((s) => s.logs.page({}, 0, 50))).total).toBe(rows.length);
    for (const who of [undefined, 7, 8, 99])
      for (const [offset, limit] of [
        [0, 10],
        [1, 1],
      ] as const)
        await both((s) => s.logs.moneyPage(who, offset, limit));
    // three call rows before 3000, two of them at 1000 (a tie: the lower id goes first); top-ups and
    // adjustments stay
    expect(await both((s) => s.logs.pruneCalls(3000, 1))).toBe(1);
    expect((await both((s) => s.logs.page({ requestId: "r1" }, 0, 50))).items.map((r) => r.id)).toEqual([7]);
    expect((await both((s) => s.logs.page({ requestId: "r2" }, 0, 50))).total).toBe(1);
    expect(await both((s) => s.logs.pruneCalls(3000, 5))).toBe(2);
    expect(await both((s) => s.logs.pruneCalls(3000, 5))).toBe(0);
    expect((await both((s) => s.logs.page({}, 0, 50))).total).toBe(rows.length - 3);
  });

  test("alerts: sends started and finished, the limit's reads, the latest with user names", async () => {
    const send = (kind: string, userId: number | null, subject: string, createdAt: number) => ({
      kind,
      userId,
      subject,
      destination: "webhook",
      host: "hooks.example",
      title: `${kind} ${createdAt}`,
      createdAt,
    });
    const ids = [];
    for (const s of [
      send("balance_low", 7, "", 100),
      send("balance_low", 7, "", 200),
      send("balance_low", 8, "", 200),
      send("channel_disabled", null, "channel:3", 150),
      send("channel_disabled", null, "channel:3", 250),
      send("channel_disabled", null, "channel:4", 250),
    ])
      ids.push(await both((st) => st.alerts.start(s)));
    expect(ids).toEqual([1, 2, 3, 4, 5, 6]);
    await both((s) => s.alerts.finish(1, "delivered", 1, ""));
    await both((s) => s.alerts.finish(2, "suppressed", 0, "limit: 1 per 60 min"));
    await both((s) => s.alerts.finish(4, "failed", 3, "x".repeat(700)));
    await both((s) => s.alerts.finish(99, "failed", 1, "no such send"));
    for (const [kind, user, subject, since] of [
      ["balance_low", 7, "", 0],
      ["balance_low", 7, "", 100],
      ["balance_low", 8, "", 0],
      ["channel_disabled", null, "channel:3", 0],
      ["channel_disabled", null, "channel:4", 300],
      ["channel_disabled", 7, "channel:3", 0],
    ] as const)
      await both((s) => s.alerts.sentSince(kind, user, subject, since));
    expect(await both((s) => s.alerts.sentSince("channel_disabled", null, "channel:3", 0))).toHaveLength(2);
    for (const [user, limit] of [
      [undefined, 50],
      [undefined, 2],
      [7, 50],
      [99, 50],
    ] as const)
      await both((s) => s.alerts.recent(user, limit));
    const latest = await both((s) => s.alerts.recent(undefined));
    expect(latest.map((r) => [r.id, r.username])).toEqual([
      [6, null],
      [5, null],
      [4, null],
      [3, "bob"],
      [2, "Alice"],
      [1, "Alice"],
    ]);
    expect(latest[2]!.lastError).toHaveLength(500);
  });

  test("redemptions: search pages, updates, a code redeemed once, deletes", async () => {
    const code = (name: string, key: string, expiredTime = 0, status: number = REDEMPTION_STATUS.enabled) => ({
      userId: 7,
      name,
      keyHash: `h-${key}`,
      keyMask: `…${key}`,
      quota: 1000,
      createdTime: 10,
      expiredTime,
      status,
    });
    const now = 5000;
    for (const c of [
      code("Promo_A", "a"),
      code("promo%b", "b", 9000),
      code("PROMOxc", "c", 4000),
      code("promotion", "d", 0, REDEMPTION_STATUS.disabled),
      code("other", "e"),
      code("Prómo", "f"),
      code("ÉCLAIR", "g"),
    ])
      await both((s) => s.redemptions.insert(c));
    expect(await both((s) => s.redemptions.byId(99))).toBeUndefined();
    expect((await both((s) => s.redemptions.byId(1)))?.usedUsername).toBe("");
    const searches = [
      { keyword: "promo" },
      { keyword: "PROMO_" },
      { keyword: "promo%" },
      { keyword: "%" },
      { keyword: "_" },
      { keyword: "romo" },
      { keyword: "éclair" },
      { keyword: "Écl" },
      { keyword: "5", id: 5 },
      { keyword: "zz", keyHash: "h-c" },
      { status: "1" },
      { status: "2" },
      { status: "3" },
      { status: "expired" },
      { keyword: "promo", status: "1" },
      {},
    ];
    for (const s of searches) await both((st) => st.redemptions.page({ ...s, now }, 0, 50));
    await both((s) => s.redemptions.page({ now }, 2, 2));
    expect((await both((s) => s.redemptions.page({ keyword: "promo", now }, 0, 50))).total).toBe(4);
    expect((await both((s) => s.redemptions.page({ keyword: "promo_", now }, 0, 50))).total).toBe(1);
    // SQLite folds ASCII letters only: "Écl" finds ÉCLAIR, "éclair" does not
    expect((await both((s) => s.redemptions.page({ keyword: "Écl", now }, 0, 50))).total).toBe(1);
    expect((await both((s) => s.redemptions.page({ keyword: "éclair", now }, 0, 50))).total).toBe(0);
    expect(await both((s) => s.redemptions.update(2, { name: "Promo%B", quota: 2000 }))).toMatchObject({
      name: "Promo%B",
      quota: 2000,
    });
    await both((s) => s.redemptions.update(2, {}));
    expect(await both((s) => s.redemptions.update(99, { quota: 1 }))).toBeUndefined();
    // redeemed once: the second claim, an expired code and a disabled one change nothing
    expect(await both((s) => s.redemptions.claim("h-a", 8, now))).toMatchObject({ status: 3, usedUserId: 8 });
    expect(await both((s) => s.redemptions.claim("h-a", 7, now + 1))).toBeUndefined();
    expect(await both((s) => s.redemptions.claim("h-c", 8, now))).toBeUndefined();
    expect(await both((s) => s.redemptions.claim("h-d", 8, now))).toBeUndefined();
    expect(await both((s) => s.redemptions.claim("h-nope", 8, now))).toBeUndefined();
    expect((await both((s) => s.redemptions.byId(1)))?.usedUsername).toBe("bob");
    await both((s) => s.redemptions.page({ status: "3", now }, 0, 50));
    expect(await both((s) => s.redemptions.delete(5))).toBe(1);
    expect(await both((s) => s.redemptions.delete(5))).toBe(0);
    expect(await both((s) => s.redemptions.deleteInvalid(now))).toBe(3); // used a, expired c, disabled d
    expect(await both((s) => s.redemptions.deleteInvalid(now))).toBe(0);
    expect((await both((s) => s.redemptions.page({ now }, 0, 50))).items.map((r) => r.name)).toEqual([
      "ÉCLAIR",
      "Prómo",
      "Promo%B",
    ]);
  });

  test("a write inside a PostgreSQL transaction that throws is rolled back", async () => {
    const row = { name: "rolled back", keyHash: "h-tx", keyMask: "…tx", quota: 1, createdTime: 1 };
    let seen: unknown;
    const attempt = pair.pg.tx.run(async () => {
      const made = await stores.pg.redemptions.insert(row);
      seen = await stores.pg.redemptions.byId(made.id);
      throw new Error("the step failed");
    });
    await expect(attempt).rejects.toThrow("the step failed");
    expect(seen).toMatchObject({ name: "rolled back" });
    const after = await stores.pg.redemptions.page({ keyword: "rolled", now: 0 }, 0, 10);
    expect(after).toEqual({ items: [], total: 0 });
  });
});
