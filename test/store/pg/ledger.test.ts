// The PostgreSQL ledger on a real server (issue 17): the same calls written by the SQLite ledger and by
// the PostgreSQL one leave the same log rows, counters and daily and hourly rollups; a database cut off
// mid-run keeps every event queued, in order, and writes it once it is back; a slice whose commit
// answer was lost is not written twice when retried.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { SQL } from "bun";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LOG_TYPE } from "../../../src/core/status";
import { openDatabase } from "../../../src/db/open";
import { connectPostgres, openPostgres } from "../../../src/db/pg/client";
import { Ledger } from "../../../src/store/ledger";
import type { NewLog } from "../../../src/store/logs";
import { PgLedger } from "../../../src/store/pg/ledger";
import { leaseStore } from "../../../src/store/pg/leases";
import { describePg, losingFirstCommitAnswer, usePgDatabase, withDatabase } from "../../support/postgres";
import { cuttableProxy } from "../../support/tcp-proxy";

const HOLD = 5_000;
const T0 = Date.UTC(2026, 11, 7, 10, 59, 0); // the calls straddle an hour

/** call i: alternating tokens and models, some failing (type 5), latencies for the served ones */
function call(i: number, ids: { user: number; tokens: number[] }): { row: NewLog; charged: number; tokenId: number } {
  const failed = i % 7 === 0;
  const tokenId = ids.tokens[i % ids.tokens.length];
  const charged = failed ? 0 : 100 + ((i * 37) % 900);
  return {
    tokenId,
    charged,
    row: {
      createdAt: T0 + i * 1_500,
      type: failed ? LOG_TYPE.error : LOG_TYPE.consume,
      userId: ids.user,
      username: "pat",
      tokenId,
      tokenName: `t${tokenId}`,
      model: i % 2 ? "gpt-x" : "claude-y",
      group: "default",
      channelId: 1 + (i % 2),
      endpoint: "chat",
      promptTokens: 10 + i,
      completionTokens: failed ? 0 : 20 + i,
      quota: charged,
      durationMs: 100 + i,
      ttftMs: failed ? 0 : 30 + i,
      isStream: i % 3 === 0,
      requestId: `req-${i}`,
      statusCode: failed ? 502 : 200,
    },
  };
}

const settlement = (charged: number) => ({
  charged,
  shortfall: 0,
  tokenDelta: HOLD - charged,
  userDelta: HOLD - charged,
});

describePg("the PostgreSQL ledger", () => {
  const db = usePgDatabase();
  let sql: SQL;
  const dir = mkdtempSync(join(tmpdir(), "apiyi-pg-ledger-"));
  const closers: (() => unknown)[] = [];

  beforeAll(async () => {
    sql = (await openPostgres(db.url)).$client;
    await sql`INSERT INTO groups (name) VALUES ('default')`;
  });
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
    await sql?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function pgAccount(balance: number) {
    const [u] =
      await sql`INSERT INTO users (username, password_hash, quota) VALUES (${`pat${Date.now()}${Math.random()}`}, 'x', ${balance}) RETURNING id`;
    const tokens: number[] = [];
    for (const n of [1, 2]) {
      const [t] = await sql`INSERT INTO tokens (user_id, name, key_hash, key_sealed, key_mask, remain_quota)
        VALUES (${u.id}, ${`t${n}`}, ${`h${u.id}-${n}`}, 's', 'm', ${balance}) RETURNING id`;
      tokens.push(Number(t.id));
    }
    return { user: Number(u.id), tokens };
  }

  test("the same calls leave the same rows, counters and rollups as the SQLite ledger", async () => {
    const lite = openDatabase(join(dir, "apiyi.db"));
    closers.push(() => lite.$client.close());
    const s = lite.$client;
    s.run("INSERT INTO groups (name) VALUES ('default')");
    s.run("INSERT INTO users (id, username, password_hash, quota) VALUES (1001, 'pat', 'x', 10000000)");
    s.run(
      "INSERT INTO tokens (id, user_id, name, key_hash, key_sealed, key_mask, remain_quota) VALUES (1001, 1001, 't1', 'a', 's', 'm', 10000000), (1002, 1001, 't2', 'b', 's', 'm', 10000000)",
    );
    await sql`INSERT INTO users (id, username, password_hash, quota) VALUES (1001, 'pat', 'x', 10000000)`;
    await sql`INSERT INTO tokens (id, user_id, name, key_hash, key_sealed, key_mask, remain_quota) VALUES (1001, 1001, 't1', 'a', 's', 'm', 10000000), (1002, 1001, 't2', 'b', 's', 'm', 10000000)`;
    const liteLedger = new Ledger(lite);
    const pgLedger = new PgLedger(sql, "parity");
    const leases = leaseStore(sql, "parity", 60_000);
    for (const id of [1001, 1002]) await leases.take("token", id, 1, 1_000_000);
    await leases.take("user", 1001, 1, 2_000_000);
    for (let i = 0; i < 300; i++) {
      const c = call(i, { user: 1001, tokens: [1001, 1002] });
      const who = { requestId: c.row.requestId!, tokenId: c.tokenId, userId: 1001 };
      const hold = { amount: HOLD, tokenAmount: HOLD, userAmount: HOLD, tokenPeriod: 0, userPeriod: 0 };
      liteLedger.hold(who, hold);
      liteLedger.settle(who, settlement(c.charged), hold, c.row);
      pgLedger.settle(who, settlement(c.charged), { token: c.charged, user: c.charged }, c.row);
      if (i % 50 === 0)
        pgLedger.push({ ...c.row, type: LOG_TYPE.error, quota: 0, requestId: `refused-${i}`, statusCode: 429 });
      if (i % 50 === 0)
        liteLedger.push({ ...c.row, type: LOG_TYPE.error, quota: 0, requestId: `refused-${i}`, statusCode: 429 });
    }
    liteLedger.flushAll();
    expect(await pgLedger.flushAll()).toBe(true);

    const cols =
      'type, user_id, token_id, token_name, model, "group", channel_id, prompt_tokens, completion_tokens, quota, duration_ms, ttft_ms, request_id, status_code';
    // Bun.sql gives bigint columns as strings: numbers compare as numbers on both sides
    // and histograms ({"bucket": count}) compare by their buckets, however each database spells the JSON
    const num = (v: unknown) =>
      typeof v === "string" && /^-?\d+$/.test(v)
        ? Number(v)
        : typeof v === "string" && v.startsWith("{")
          ? Object.entries(JSON.parse(v)).sort(([a], [b]) => Number(a) - Number(b))
          : v;
    const norm = (rows: Record<string, unknown>[]) =>
      rows.map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, num(v)])));
    expect(norm(await sql.unsafe(`SELECT ${cols} FROM logs ORDER BY id`))).toEqual(
      norm(s.query(`SELECT ${cols} FROM logs ORDER BY id`).all() as never),
    );
    const daily =
      'day, user_id, token_id, model, "group", type, calls, prompt_tokens, cached_tokens, completion_tokens, quota';
    expect(norm(await sql.unsafe(`SELECT ${daily} FROM usage_daily ORDER BY 1, 2, 3, 4, 5, 6`))).toEqual(
      norm(s.query(`SELECT ${daily} FROM usage_daily ORDER BY 1, 2, 3, 4, 5, 6`).all() as never),
    );
    const hourly =
      "dim, span, hour, key, calls, failed, refused, prompt_tokens, completion_tokens, quota, latency, ttft";
    expect(norm(await sql.unsafe(`SELECT ${hourly} FROM usage_hourly ORDER BY dim, span, hour, key`))).toEqual(
      norm(s.query(`SELECT ${hourly} FROM usage_hourly ORDER BY dim, span, hour, key`).all() as never),
    );
    const counters = "id, used_quota, request_count, accessed_time";
    expect(norm(await sql.unsafe(`SELECT ${counters} FROM tokens ORDER BY id`))).toEqual(
      norm(s.query(`SELECT ${counters} FROM tokens ORDER BY id`).all() as never),
    );
    const [u] = await sql`SELECT used_quota, request_count FROM users WHERE id = 1001`;
    expect({ used: Number(u.used_quota), calls: Number(u.request_count) }).toEqual(
      s.query("SELECT used_quota AS used, request_count AS calls FROM users WHERE id = 1001").get() as never,
    );
    // and on PostgreSQL the charges left the leases: balance + Σ leases + Σ used = what was given
    const [t] =
      await sql`SELECT sum(remain_quota + used_quota) + (SELECT sum(amount) FROM leases WHERE kind = 'token') AS total FROM tokens WHERE id IN (1001, 1002)`;
    expect(Number(t.total)).toBe(20_000_000);
  });

  test("an event queued while a slice is being written is written soon after, without anyone flushing", async () => {
    const ids = await pgAccount(1_000_000);
    const ledger = new PgLedger(sql, "timer", 5);
    const row = (requestId: string): NewLog => ({
      createdAt: T0,
      type: LOG_TYPE.consume,
      userId: ids.user,
      requestId,
      quota: 0,
    });
    ledger.push(row("first"));
    const written = async (id: string) => (await sql`SELECT 1 FROM logs WHERE request_id = ${id}`).length === 1;
    // the first slice is on its way: the next event comes while it is written
    while (!ledger.writing) await Bun.sleep(1);
    ledger.push(row("second"));
    let second = false;
    for (const until = Date.now() + 3000; !second && Date.now() < until; ) {
      await Bun.sleep(20);
      second = await written("second");
    }
    // before the fix the second waited for the next flushAll (the upkeep's, every 4 s)
    expect({ first: await written("first"), second }).toEqual({ first: true, second: true });
    await ledger.stop();
  });

  test("a database cut off mid-run: events stay queued in order and are written once it is back", async () => {
    const proxy = await cuttableProxy(5432);
    closers.push(() => proxy.close());
    const url = withDatabase(db.url.replace(":5432", `:${proxy.port}`), db.name);
    const pool = connectPostgres(url, 2);
    closers.push(() => pool.close());
    const a = await pgAccount(10_000_000);
    await leaseStore(pool, "cut", 60_000).take("token", a.tokens[0], 1, 5_000_000);
    const ledger = new PgLedger(pool, "cut", 20, () => {});
    closers.push(() => ledger.stop(0));
    const settleCall = (i: number) => {
      const c = call(i, { user: a.user, tokens: [a.tokens[0]] });
      ledger.settle(
        { requestId: `cut-${i}`, tokenId: a.tokens[0], userId: a.user },
        settlement(c.charged),
        { token: c.charged, user: 0 },
        { ...c.row, requestId: `cut-${i}` },
      );
      return c.charged;
    };
    let charged = 0;
    for (let i = 0; i < 50; i++) charged += settleCall(i);
    expect(await ledger.flushAll()).toBe(true);
    proxy.cut();
    for (let i = 50; i < 120; i++) charged += settleCall(i);
    const queued = ledger.depth;
    expect(await ledger.flushAll()).toBe(false);
    expect(ledger.depth).toBe(queued); // nothing written, nothing dropped
    proxy.restore();
    for (let i = 0; i < 200 && ledger.depth > 0; i++) await ledger.flushAll().catch(() => false);
    expect(ledger.depth).toBe(0);
    const rows = await sql`SELECT request_id FROM logs WHERE request_id LIKE 'cut-%' ORDER BY id`;
    expect(rows.map((r: { request_id: string }) => r.request_id)).toEqual(
      Array.from({ length: 120 }, (_, i) => `cut-${i}`),
    );
    const [t] =
      await sql`SELECT used_quota, remain_quota + (SELECT amount FROM leases WHERE instance = 'cut') AS left FROM tokens WHERE id = ${a.tokens[0]}`;
    expect({ used: Number(t.used_quota), left: Number(t.left) }).toEqual({ used: charged, left: 10_000_000 - charged });
  });

  test("a slice retried after its commit answer was lost is not written twice", async () => {
    const a = await pgAccount(1_000_000);
    const flaky = losingFirstCommitAnswer(sql);
    await leaseStore(sql, "lossy", 60_000).take("token", a.tokens[0], 1, 500_000);
    const ledger = new PgLedger(flaky, "lossy", 20, () => {});
    const c = call(1, { user: a.user, tokens: [a.tokens[0]] });
    ledger.settle(
      { requestId: "lossy-1", tokenId: a.tokens[0], userId: a.user },
      settlement(c.charged),
      { token: c.charged, user: 0 },
      { ...c.row, requestId: "lossy-1" },
    );
    expect(await ledger.flushAll()).toBe(false);
    expect(await ledger.flushAll()).toBe(true);
    const [n] = await sql`SELECT count(*)::int AS n FROM logs WHERE request_id = 'lossy-1'`;
    expect(n.n).toBe(1);
    const [t] = await sql`SELECT used_quota FROM tokens WHERE id = ${a.tokens[0]}`;
    expect(Number(t.used_quota)).toBe(c.charged);
  });
});
