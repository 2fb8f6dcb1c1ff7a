// Quota leases on a real PostgreSQL (issue 17), three instances (three LeaseBooks, three pools, three
// ids) on one database: a 200-way race against a balance worth 50 calls admits exactly 50, on a token
// and on a user; sustained demand takes larger slices and every unit comes back; an instance that dies
// (no upkeep, no stop) loses its lease only until it expires and a live one reclaims it; a charge that
// lands after its lease was reclaimed comes out of the balance, never below 0; a batch is applied once;
// a budget period's roll ends every instance's lease, and the old period's charges then move no money.
// After each: balance + Σ leases + Σ used = what the account was given, to the unit.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { SQL } from "bun";
import { LEASE } from "../../../src/core/lease-policy";
import { connectPostgres, openPostgres } from "../../../src/db/pg/client";
import { PgLedger } from "../../../src/store/pg/ledger";
import { type AccountKind, leaseStore, reclaimExpired } from "../../../src/store/pg/leases";
import { LeaseBook } from "../../../src/services/leases";
import { rollAccount } from "../../../src/store/pg/budget-rolls";
import { describePg, losingFirstCommitAnswer, usePgDatabase } from "../../support/postgres";

const FAST = { ...LEASE, ttlMs: 1_500, renewMs: 300, marginMs: 500, idleMs: 100 };
const PRICE = 7_000; // one call's hold and cost, in quota units

describePg("quota leases across three instances", () => {
  const db = usePgDatabase();
  let sql: SQL;
  const pools: SQL[] = [];
  let n = 0;

  beforeAll(async () => {
    sql = (await openPostgres(db.url)).$client;
    await sql`INSERT INTO groups (name) VALUES ('default')`;
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
    await sql?.close();
  });

  /** `count` instances, each with its own pool, id, ledger and leases */
  const instances = (count = 3) =>
    Array.from({ length: count }, () => {
      const pool = connectPostgres(db.url, 4);
      pools.push(pool);
      const id = `test-${++n}`;
      const store = leaseStore(pool, id, FAST.ttlMs);
      const ledger = new PgLedger(pool, id, 20, () => {});
      return { id, store, ledger, book: new LeaseBook(store, ledger, undefined, () => count, FAST) };
    });
  type Instance = ReturnType<typeof instances>[number];

  /** A call's end as the relay makes it: the lease gets back what was not charged, the ledger writes the charge. */
  const settle = (i: Instance, kind: AccountKind, id: number, held: number, charged: number) => {
    i.book.settle(kind, id, held, charged);
    const who = { requestId: `c${++n}`, tokenId: kind === "token" ? id : 0, userId: kind === "user" ? id : 0 };
    const s = { charged, shortfall: 0, tokenDelta: 0, userDelta: 0 };
    i.ledger.settle(who, s, { token: kind === "token" ? charged : 0, user: kind === "user" ? charged : 0 }, null);
  };

  async function account(quota: number, tokenRemain = 0, unlimitedToken = false) {
    const [u] =
      await sql`INSERT INTO users (username, password_hash, quota) VALUES (${`u${++n}`}, 'x', ${quota}) RETURNING id`;
    const [t] =
      await sql`INSERT INTO tokens (user_id, name, key_hash, key_sealed, key_mask, remain_quota, unlimited_quota)
      VALUES (${u.id}, 't', ${`h${n}`}, 's', 'm', ${tokenRemain}, ${unlimitedToken}) RETURNING id`;
    return { user: Number(u.id), token: Number(t.id) };
  }

  /** balance + Σ leases + Σ used of one account */
  async function total(kind: "token" | "user", id: number) {
    const [r] =
      kind === "token"
        ? await sql`SELECT remain_quota + used_quota + coalesce((SELECT sum(amount) FROM leases WHERE kind = 'token' AND account_id = ${id}), 0) AS t FROM tokens WHERE id = ${id}`
        : await sql`SELECT quota + used_quota + coalesce((SELECT sum(amount) FROM leases WHERE kind = 'user' AND account_id = ${id}), 0) AS t FROM users WHERE id = ${id}`;
    return Number(r.t);
  }

  /** 200 calls spread round-robin, all started at once; each that is admitted is charged its price */
  async function race(all: Instance[], kind: "token" | "user", id: number) {
    const results = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const one = all[i % all.length];
        const ok = await one.book.acquire(kind, id, PRICE);
        if (ok) settle(one, kind, id, PRICE, PRICE);
        return ok;
      }),
    );
    for (const one of all) await one.book.tick({ giveBackAll: true });
    return results.filter(Boolean).length;
  }

  test("200 calls at once against a token worth 50: exactly 50 admitted, every unit accounted", async () => {
    const a = await account(0, 50 * PRICE);
    expect(await race(instances(), "token", a.token)).toBe(50);
    const [t] = await sql`SELECT remain_quota, used_quota FROM tokens WHERE id = ${a.token}`;
    expect({ remain: Number(t.remain_quota), used: Number(t.used_quota) }).toEqual({ remain: 0, used: 50 * PRICE });
    expect(await total("token", a.token)).toBe(50 * PRICE);
  });

  test("the same against a user's balance (its token unlimited): exactly 50", async () => {
    const a = await account(50 * PRICE, 0, true);
    expect(await race(instances(), "user", a.user)).toBe(50);
    expect(await total("user", a.user)).toBe(50 * PRICE);
    const [u] = await sql`SELECT quota FROM users WHERE id = ${a.user}`;
    expect(Number(u.quota)).toBe(0);
  });

  test("sustained demand takes slices larger than one call, costs below the hold come back, all returns", async () => {
    const given = 10_000 * PRICE;
    const a = await account(0, given);
    const all = instances();
    let charged = 0;
    let biggestLease = 0;
    for (let wave = 0; wave < 20; wave++) {
      await Promise.all(
        Array.from({ length: 30 }, async (_, i) => {
          const one = all[i % 3];
          expect(await one.book.acquire("token", a.token, PRICE)).toBe(true);
          const cost = 1 + ((wave * 31 + i * 17) % PRICE); // below the hold
          settle(one, "token", a.token, PRICE, cost);
          charged += cost;
        }),
      );
      const [l] =
        await sql`SELECT coalesce(max(amount), 0) AS m FROM leases WHERE kind = 'token' AND account_id = ${a.token}`;
      biggestLease = Math.max(biggestLease, Number(l.m));
      for (const one of all) await one.book.tick();
    }
    expect(biggestLease).toBeGreaterThan(10 * PRICE); // the slices grew with the demand
    for (const one of all) await one.book.tick({ giveBackAll: true });
    const [t] = await sql`SELECT remain_quota, used_quota FROM tokens WHERE id = ${a.token}`;
    expect(Number(t.used_quota)).toBe(charged);
    expect(Number(t.remain_quota)).toBe(given - charged);
    const [left] =
      await sql`SELECT coalesce(sum(amount), 0) AS s FROM leases WHERE kind = 'token' AND account_id = ${a.token}`;
    expect(Number(left.s)).toBe(0);
  });

  test("an instance that dies keeps its lease only until it expires; a late charge never drives a balance below 0", async () => {
    const a = await account(0, 20 * PRICE);
    const [dead, live] = instances(2);
    // the dying instance admits 5 calls; 2 are charged and written, 3 are still running when it "dies"
    for (let i = 0; i < 5; i++) expect(await dead.book.acquire("token", a.token, PRICE)).toBe(true);
    settle(dead, "token", a.token, PRICE, PRICE);
    settle(dead, "token", a.token, PRICE, PRICE);
    await dead.book.tick();
    const [before] = await sql`SELECT amount FROM leases WHERE instance = ${dead.id}`;
    expect(Number(before.amount)).toBeGreaterThanOrEqual(3 * PRICE);
    // no upkeep from now on: after ttl (PostgreSQL's clock) any live instance gives the lease back
    await Bun.sleep(FAST.ttlMs + 200);
    expect(await reclaimExpired(sql)).toBe(Number(before.amount));
    expect(await total("token", a.token)).toBe(20 * PRICE);
    // the live instance spends the balance down to 0
    let admitted = 0;
    while (await live.book.acquire("token", a.token, PRICE)) {
      settle(live, "token", a.token, PRICE, PRICE);
      admitted++;
    }
    await live.book.tick({ giveBackAll: true });
    expect(admitted).toBe(18);
    // the dead one's 3 running calls finish after all (it was only cut off): their charges find no
    // lease and an empty balance: nothing is taken below 0, the shortfall is reported
    for (let i = 0; i < 3; i++) settle(dead, "token", a.token, PRICE, PRICE);
    expect(await dead.book.tick()).toBe(true);
    expect(dead.ledger.shortfall).toBe(3 * PRICE);
    const [t] = await sql`SELECT remain_quota, used_quota FROM tokens WHERE id = ${a.token}`;
    expect({ remain: Number(t.remain_quota), used: Number(t.used_quota) }).toEqual({ remain: 0, used: 20 * PRICE });
  });

  test("a lease past its admit deadline admits nothing while PostgreSQL cannot be reached", async () => {
    const a = await account(0, 10 * PRICE);
    const pool = connectPostgres(db.url, 2);
    pools.push(pool);
    const live = leaseStore(pool, `cut-${++n}`, FAST.ttlMs);
    let down = false;
    const store = new Proxy(live, {
      get: (target, key) => (down ? () => Promise.reject(new Error("connection refused")) : Reflect.get(target, key)),
    });
    let now = 1_000;
    const book = new LeaseBook(
      store,
      new PgLedger(pool, "cut", 20, () => {}),
      () => now,
      () => 1,
      FAST,
    );
    expect(await book.acquire("token", a.token, PRICE)).toBe(true);
    book.settle("token", a.token, PRICE, 0); // nothing charged: the lease has PRICE free again
    down = true;
    // before the deadline the free amount serves a call without PostgreSQL
    expect(await book.acquire("token", a.token, PRICE)).toBe(true);
    book.settle("token", a.token, PRICE, 0);
    // past it (ttl - margin after the take was sent) the same free amount admits nothing
    now += FAST.ttlMs - FAST.marginMs;
    await expect(Promise.resolve(book.acquire("token", a.token, PRICE))).rejects.toThrow("connection refused");
    expect(book.freeOf("token", a.token)).toBe(PRICE);
  });

  test("a batch retried after its commit (the answer lost) is not applied twice", async () => {
    const a = await account(0, 10 * PRICE);
    const [one] = instances(1);
    await one.store.take("token", a.token, PRICE, 3 * PRICE);
    // a charge and a return through the ledger whose first commit answer is lost
    const ledger = new PgLedger(losingFirstCommitAnswer(sql), one.id, 20, () => {});
    const who = { requestId: "lossy", tokenId: a.token, userId: a.user };
    ledger.settle(who, { charged: PRICE, shortfall: 0, tokenDelta: 0, userDelta: 0 }, { token: PRICE, user: 0 }, null);
    ledger.giveBack("token", a.token, PRICE);
    expect(await ledger.flushAll()).toBe(false); // applied, but the answer was lost
    expect(await ledger.flushAll()).toBe(true); // the retry finds its batch committed and writes nothing
    const [t] = await sql`SELECT remain_quota, used_quota FROM tokens WHERE id = ${a.token}`;
    expect({ remain: Number(t.remain_quota), used: Number(t.used_quota) }).toEqual({ remain: 8 * PRICE, used: PRICE });
    expect(await total("token", a.token)).toBe(10 * PRICE);
  });

  test("a budget period's roll ends every lease; the old period's charge counts to used only", async () => {
    const [p1, p2] = [1_000_000, 1_086_400];
    const a = await account(0, 10 * PRICE);
    await sql`UPDATE tokens SET budget_period = 'daily', period_quota = ${10 * PRICE}, period_start = ${p1} WHERE id = ${a.token}`;
    const [one, two] = instances(2);
    expect(await one.book.acquire("token", a.token, PRICE, p1)).toBe(true); // held by a call across the roll
    expect(await two.book.acquire("token", a.token, PRICE, p1)).toBe(true);
    settle(two, "token", a.token, PRICE, PRICE);
    expect(await two.ledger.flushAll()).toBe(true);
    expect(await rollAccount(sql, "token", a.token, p2)).toBe(true);
    expect(await rollAccount(sql, "token", a.token, p2)).toBe(false); // once, whoever asks again
    const balance = async () =>
      Number((await sql`SELECT remain_quota FROM tokens WHERE id = ${a.token}`)[0].remain_quota);
    const leased = async () =>
      Number((await sql`SELECT coalesce(sum(amount), 0) AS v FROM leases WHERE account_id = ${a.token}`)[0].v);
    expect({ balance: await balance(), leased: await leased() }).toEqual({ balance: 10 * PRICE, leased: 0 });
    // the call held in the old day ends: charged, counted as used, no money moved, nothing given back
    /** a call of `period` charged its whole hold */
    const charge = (period: number) => {
      one.book.settle("token", a.token, PRICE, PRICE, period);
      const who = { requestId: `day-${period}`, tokenId: a.token, userId: 0 };
      const s = { charged: PRICE, shortfall: 0, tokenDelta: 0, userDelta: 0 };
      one.ledger.settle(who, s, { token: PRICE, user: 0, tokenPeriod: period }, null);
    };
    charge(p1);
    one.ledger.giveBack("token", a.token, one.book.freeOf("token", a.token), p1);
    expect(await one.ledger.flushAll()).toBe(true);
    expect({ balance: await balance(), leased: await leased() }).toEqual({ balance: 10 * PRICE, leased: 0 });
    // a caller that has not heard of the roll still gets the new day: the take tells its lease
    expect(await one.book.acquire("token", a.token, PRICE, p1)).toBe(true);
    expect(one.book.periodOf("token", a.token)).toBe(p2);
    charge(p2);
    await one.book.tick({ giveBackAll: true });
    expect({ balance: await balance(), leased: await leased() }).toEqual({ balance: 9 * PRICE, leased: 0 });
    const [t] = await sql`SELECT used_quota, period_start FROM tokens WHERE id = ${a.token}`;
    expect({ used: Number(t.used_quota), start: Number(t.period_start) }).toEqual({ used: 3 * PRICE, start: p2 });
  });
});
