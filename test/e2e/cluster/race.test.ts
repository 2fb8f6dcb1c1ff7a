// Three instances on one PostgreSQL (issue 17), calls spread round-robin over them with the official
// `openai` client: 200 calls at once against a token worth 50 calls give exactly 50 answers and 150
// refusals (429), the upstream sees 50, and the database's balance + what leases hold + Σ logged costs
// equals what the token started with; the same against a user's balance spread over three tokens.
import { expect, test } from "bun:test";
import OpenAI, { APIError } from "openai";
import { expectReply } from "../../support/expect";
import { moneyOf, useCluster } from "../../support/cluster";
import { describePg } from "../../support/postgres";
import { makeUser } from "../../support/server";

const CALL_UNITS = 1000; // per_call 0.002 USD
const WORTH = 50;
const CALLS = 200;

describePg("three instances on one PostgreSQL", () => {
  const c = useCluster(3, "race-model");
  /** Waits (bounded) until every instance knows the key: the change reached them. */
  async function knownEverywhere(key: string) {
    for (const s of c.servers) {
      const until = Date.now() + 5000;
      for (;;) {
        const r = await fetch(`${s.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
        if (r.status === 200) break;
        if (Date.now() > until) throw new Error(`${s.url} does not know the key after 5 s: ${r.status}`);
        await Bun.sleep(50);
      }
    }
  }

  /** `CALLS` chat calls at once, call i on instance i % 3 with key i % keys.length; the statuses. */
  async function race(keys: string[]) {
    const before = c.mock.requests.length;
    const statuses = await Promise.all(
      Array.from({ length: CALLS }, async (_, i) => {
        const sdk = new OpenAI({ baseURL: `${c.servers[i % 3].url}/v1`, apiKey: keys[i % keys.length], maxRetries: 0 });
        try {
          await sdk.chat.completions.create({ model: "race-model", messages: [{ role: "user", content: "hi" }] });
          return 200;
        } catch (e) {
          if (e instanceof APIError) return e.status ?? 0;
          throw e;
        }
      }),
    );
    const count = (s: number) => statuses.filter((x) => x === s).length;
    return {
      ok: count(200),
      refused: count(429),
      other: CALLS - count(200) - count(429),
      upstream: c.mock.requests.length - before,
    };
  }

  /** Until the account's costs are all written (the ledger writes in batches), bounded. */
  async function settled(kind: "token" | "user", id: number, calls: number) {
    const until = Date.now() + 10_000;
    for (;;) {
      const m = await moneyOf(c.database.url, kind, id);
      if (m.calls >= calls || Date.now() > until) return m;
      await Bun.sleep(100);
    }
  }

  test("each instance says it serves from the database, not a data dir", () => {
    for (const s of c.servers) expect(s.output()).toContain(`(data: ${c.database.url})`);
  });

  test("200 calls at once against a token worth 50: exactly 50 served, 150 refused, money exact", async () => {
    const u = await makeUser(c.servers[0].url, c.adminAuth, "racer");
    expectReply(await c.admin.post(`/api/user/${u.id}/topup`, { quota: 10_000_000 }), 200);
    const t = expectReply(await u.api.post("/api/token/", { name: "race", remain_quota: WORTH * CALL_UNITS }), 201);
    await knownEverywhere(t.key);
    expect(await race([t.key])).toEqual({ ok: WORTH, refused: CALLS - WORTH, other: 0, upstream: WORTH });
    const m = await settled("token", t.id, WORTH);
    expect(m).toEqual({ balance: m.balance, leased: m.leased, logged: WORTH * CALL_UNITS, calls: WORTH });
    expect(m.balance + m.leased + m.logged).toBe(WORTH * CALL_UNITS);
  });

  test("the same against a user's balance over three unlimited tokens", async () => {
    const u = await makeUser(c.servers[0].url, c.adminAuth, "shared");
    expectReply(await c.admin.post(`/api/user/${u.id}/topup`, { quota: WORTH * CALL_UNITS }), 200);
    const keys: string[] = [];
    for (const name of ["a", "b", "c"])
      keys.push(expectReply(await u.api.post("/api/token/", { name, unlimited_quota: true }), 201).key);
    for (const k of keys) await knownEverywhere(k);
    expect(await race(keys)).toEqual({ ok: WORTH, refused: CALLS - WORTH, other: 0, upstream: WORTH });
    const m = await settled("user", u.id, WORTH);
    expect(m.logged).toBe(WORTH * CALL_UNITS);
    expect(m.balance + m.leased + m.logged).toBe(WORTH * CALL_UNITS);
  });
});
