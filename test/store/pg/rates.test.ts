// Rate limits counted in PostgreSQL (store/pg/rates.ts, apiyi_rate_admit) against the in-memory counters
// SQLite's one process uses (core/rate-limit.ts): the same calls at the same moments, a token and its
// owner limited in requests per minute, per day, tokens per minute and calls in flight, give the same
// admissions and refusals, the same retry-after and the same headroom, call after call (a seeded walk of
// 400 calls with ends and token corrections among them), and 100 calls at once (batched) answer as one
// after another. Two instances' admissions add up in one window.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { SQL } from "bun";
import { openPostgres } from "../../../src/db/pg/client";
import {
  type Admission,
  type Limits,
  memoryRates,
  NO_LIMITS,
  type RateTake,
  RateState,
  type Scope,
} from "../../../src/core/rate-limit";
import { rateStore } from "../../../src/store/pg/rates";
import { PgRates } from "../../../src/services/pg-rates";
import { describePg, usePgDatabase } from "../../support/postgres";

/** A seeded generator (mulberry32): the same walk every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describePg("rate limits in PostgreSQL", () => {
  const db = usePgDatabase();
  let sql: SQL;
  beforeAll(async () => {
    sql = (await openPostgres(db.url)).$client;
  });
  afterAll(async () => {
    await sql?.close();
  });

  const scopesOf = (token: Partial<Limits>, user: Partial<Limits>, id: number): Scope[] => [
    { name: "token", key: `t${id}`, state: new RateState(), limits: { ...NO_LIMITS, ...token } },
    { name: "user", key: `u${id}`, state: new RateState(), limits: { ...NO_LIMITS, ...user } },
  ];
  /** What a take says, in comparable terms. */
  const said = (t: RateTake) =>
    "limit" in t.result
      ? { refused: t.result.limit, scope: t.result.scope, retryAfterMs: t.result.retryAfterMs }
      : { admitted: true, requests: t.requests, tokens: t.tokens };

  test("the same calls at the same moments: the same answers as the in-memory counters", async () => {
    const next = random(17);
    const mem = scopesOf({ rpm: 7, tpm: 900, parallel: 3 }, { rpd: 150, parallel: 4 }, 1);
    const pgScopes = scopesOf({ rpm: 7, tpm: 900, parallel: 3 }, { rpd: 150, parallel: 4 }, 1);
    const pg = new PgRates(rateStore(sql, "one", 15_000), (e) => {
      throw e;
    });
    const running: { m: Admission; p: Admission }[] = [];
    let now = 1_700_000_000_000;
    let admitted = 0;
    let refused = 0;
    for (let i = 0; i < 400; i++) {
      now += Math.floor(next() * 2500);
      // some calls end first, using fewer or more tokens than their bound
      while (running.length > 0 && next() < 0.5) {
        const { m, p } = running.splice(Math.floor(next() * running.length), 1)[0];
        const used = Math.floor(next() * 300);
        memoryRates.release(m, now, used);
        pg.release(p, now, used);
      }
      const tokens = 20 + Math.floor(next() * 200);
      const m = await memoryRates.take(mem, now, tokens);
      const p = await pg.take(pgScopes, now, tokens);
      expect({ i, ...said(p) }).toEqual({ i, ...said(m) });
      if ("limit" in m.result) refused++;
      else {
        admitted++;
        running.push({ m: m.result, p: p.result as Admission });
      }
    }
    expect(admitted).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(50);
    await pg.stop();
  });

  test("calls at once go in batches, each checked in turn: the same answers as one after another", async () => {
    const pg = new PgRates(rateStore(sql, "burst", 15_000), (e) => {
      throw e;
    });
    const limits = { rpm: 37, tpm: 5_000, parallel: 60 };
    const mem = scopesOf(limits, { rpm: 45 }, 3);
    const pgScopes = scopesOf(limits, { rpm: 45 }, 3);
    const now = 1_900_000_000_000;
    const tokens = (i: number) => 30 + ((i * 7) % 90);
    const want = [];
    for (let i = 0; i < 100; i++) want.push(said(await memoryRates.take(mem, now, tokens(i))));
    const got = (await Promise.all(Array.from({ length: 100 }, (_, i) => pg.take(pgScopes, now, tokens(i))))).map(said);
    expect(got).toEqual(want);
    expect(got.filter((g) => "admitted" in g).length).toBeGreaterThan(20);
    expect(got.filter((g) => "refused" in g).length).toBeGreaterThan(20);
    await pg.stop();
  });

  test("two instances' admissions share one window; one's ends reach the other", async () => {
    const [a, b] = ["a", "b"].map((id) => new PgRates(rateStore(sql, id, 15_000), () => {}));
    const scopes = scopesOf({ rpm: 4, parallel: 2 }, {}, 2).slice(0, 1);
    const now = 1_800_000_000_000;
    const first = await a.take(scopes, now, 0);
    const second = await b.take(scopes, now, 0);
    expect(said(second)).toMatchObject({ admitted: true });
    expect(said(await a.take(scopes, now, 0))).toMatchObject({ refused: "parallel" }); // 2 in flight, a and b
    b.release(second.result as Admission, now, 0);
    await b.flush();
    const third = await a.take(scopes, now + 1, 0);
    expect(said(third)).toMatchObject({ admitted: true, requests: { limit: 4, remaining: 1 } });
    a.release(first.result as Admission, now, 0);
    a.release(third.result as Admission, now, 0);
    await a.flush();
    const fourth = await b.take(scopes, now + 2, 0);
    expect(said(fourth)).toMatchObject({ admitted: true, requests: { remaining: 0, resetMs: 61_000 - 2 } });
    b.release(fourth.result as Admission, now, 0);
    expect(said(await a.take(scopes, now + 3, 0))).toMatchObject({ refused: "rpm", retryAfterMs: 61_000 - 3 });
    await Promise.all([a.stop(), b.stop()]);
  });
});
