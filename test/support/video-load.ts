// Test support: many video jobs through a real server (the scale and restart suites): OpenAI-shaped
// channels on the mock video upstream, one priced model each; an account (user balance and a limited
// token) to bill; thousands of POST /v1/videos sent a few dozen at a time; the job table and the video
// log rows read from the data dir's database; the test clock moved on until no job is live; and the
// money check: one log row per job, each the expected charge, balance + Σ logged costs = initial.
import { expect } from "bun:test";
import { expectReply } from "./expect";
import type { Gateway } from "./gateway";
import { makeUser } from "./server";
import { serverRows } from "./backend";

/** $0.10 a second = 50,000 units a second; 4 s when none is asked, at most 12. */
export const UNITS_PER_SECOND = 50_000;
const VIDEO_PRICE = { per_second: "0.10", default_seconds: 4, max_seconds: 12 };
/** the states of a running job (src/store/videos.ts LIVE_STATES) */
export const LIVE = ["submitted", "queued", "in_progress"];
const LIVE_SQL = `state IN (${LIVE.map((s) => `'${s}'`).join(", ")})`;

/** One channel per spec (a mock base URL, see MockVideo.urlFor), each serving its own priced model. */
export async function videoChannels(gw: Gateway, urls: Record<string, string>) {
  const models: Record<string, string> = {};
  for (const [tag, baseUrl] of Object.entries(urls)) {
    const model = `load-video-${tag}`;
    expectReply(await gw.admin.post("/api/pricing/", { model, video: VIDEO_PRICE }), 201);
    const channel = { name: `load-${tag}`, type: "openai", base_url: baseUrl, key: `sk-up-${tag}`, models: [model] };
    expectReply(await gw.admin.post("/api/channel/", channel), 201);
    models[tag] = model;
  }
  return models;
}

export type Account = { id: number; username: string; tokenId: number; key: string; balance: number; quota: number };

/** A user with `balance` units and one token limited to `quota` units. */
export async function videoAccount(base: string, gw: Gateway, username: string, balance: number, quota: number) {
  const u = await makeUser(base, gw.auth, username);
  expectReply(await gw.admin.post(`/api/user/${u.id}/topup`, { quota: balance }), 200);
  const t = expectReply(await u.api.post("/api/token/", { name: "load", remain_quota: quota }), 201);
  return { id: u.id, username, tokenId: t.id as number, key: t.key as string, balance, quota } satisfies Account;
}

export type Ask = { model: string; seconds: number };

/** POSTs every ask to /v1/videos, `concurrency` at a time; the job ids in ask order (200 expected). */
export async function submitAll(base: string, key: string, asks: Ask[], concurrency = 50): Promise<string[]> {
  const ids: string[] = new Array(asks.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < asks.length; i = next++) {
      const res = await fetch(`${base}/v1/videos`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: asks[i].model, prompt: `job ${i}`, seconds: String(asks[i].seconds) }),
      });
      const body = (await res.json()) as { id: string };
      if (res.status !== 200) throw new Error(`submit ${i}: ${res.status} ${JSON.stringify(body)}`);
      ids[i] = body.id;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}

export type JobRow = { id: string; state: string; channel_id: number; charged_units: number | null };
export type VideoLog = { request_id: string; quota: number; type: number; video: string; cost: number };

/** The server's database (SQLite file or PostgreSQL: backend.ts), read-only, with the reads these suites
 * make. A live job's hold is a row of `holds` on SQLite, and kept in the job's row on PostgreSQL; an
 * account's balance there is its column plus what leases hold of it. */
export function videoDb(dataDir: string) {
  // dataDir: a server's data dir, or a postgres:// URL (a cluster's database)
  const rows = serverRows(dataDir);
  const n = async (text: string) => (await rows.all<{ n: number | null }>(text))[0]?.n ?? 0;
  const one = async <T>(text: string, ...args: number[]) => (await rows.all<T>(text, ...args))[0]!;
  return {
    close: () => rows.close(),
    live: () => n(`SELECT count(*) AS n FROM video_jobs WHERE ${LIVE_SQL}`),
    /** the earliest next poll of a live job (unix ms of the server's clock) */
    firstDue: () => n(`SELECT min(next_poll_at) AS n FROM video_jobs WHERE ${LIVE_SQL}`),
    jobs: () => rows.all<JobRow>("SELECT id, state, channel_id, charged_units FROM video_jobs"),
    /** the holds still kept, by request id (a video job's is its id) */
    async holds() {
      type Held = { request_id: string; user_amount: number; token_amount: number };
      if (!rows.postgres) return rows.all<Held>("SELECT request_id, user_amount, token_amount FROM holds");
      const kept = await rows.all<{ id: string; hold: string }>(`SELECT id, hold FROM video_jobs WHERE ${LIVE_SQL}`);
      return kept.map(({ id, hold }): Held => {
        const h = JSON.parse(hold) as { userAmount: number; tokenAmount: number };
        return { request_id: id, user_amount: h.userAmount, token_amount: h.tokenAmount };
      });
    },
    logs: async () =>
      (
        await rows.all<{ request_id: string; quota: number; type: number; other: string }>(
          "SELECT request_id, quota, type, other FROM logs WHERE endpoint = 'videos'",
        )
      ).map(({ other, ...r }) => {
        const o = JSON.parse(other) as { video: string; cost: number };
        return { ...r, video: o.video, cost: o.cost } satisfies VideoLog;
      }),
    account: async (userId: number, tokenId: number) => {
      const leased = (kind: string) =>
        rows.postgres
          ? ` + coalesce((SELECT sum(amount) FROM leases WHERE kind = '${kind}' AND account_id = ?), 0)`
          : "";
      const extra = (id: number) => (rows.postgres ? [id, id] : [id]);
      return {
        user: await one<{ quota: number; used_quota: number }>(
          `SELECT quota${leased("user")} AS quota, used_quota FROM users WHERE id = ?`,
          ...extra(userId),
        ),
        token: await one<{ remain_quota: number; used_quota: number }>(
          `SELECT remain_quota${leased("token")} AS remain_quota, used_quota FROM tokens WHERE id = ?`,
          ...extra(tokenId),
        ),
      };
    },
  };
}
export type VideoDb = ReturnType<typeof videoDb>;

/** Moves the test clock on (`step` seconds at a time) until no job is live; returns the rounds taken. */
export async function untilNoneLive(gw: Gateway, db: VideoDb, opts: { step?: number; maxRounds?: number } = {}) {
  const { step = 31, maxRounds = 400 } = opts;
  for (let round = 1; round <= maxRounds; round++) {
    if ((await db.live()) === 0) return round;
    await gw.advanceClock(step);
    await Bun.sleep(100);
  }
  throw new Error(`${await db.live()} video jobs still live after ${maxRounds} rounds`);
}

/** The money of an account whose only calls were `ids` (all ended): one log row per job with the cost
 * `expected(job)` (a log row's quota, the job's charged units); balance + Σ logged costs = initial, for
 * the user and the token; used_quota = Σ costs; no hold left. The balances are read through the API,
 * which writes the ledger's queue first. */
export async function expectBilledOnce(
  gw: Gateway,
  db: VideoDb,
  acct: Account,
  ids: string[],
  expected: (id: string, job: JobRow) => number,
) {
  const user = expectReply(await gw.admin.get(`/api/user/${acct.id}`), 200);
  const jobs = new Map((await db.jobs()).map((j) => [j.id, j]));
  const logs = await db.logs();
  const mine = new Set(ids);
  const rowsPerJob = new Map<string, number>();
  for (const l of logs) if (mine.has(l.video)) rowsPerJob.set(l.video, (rowsPerJob.get(l.video) ?? 0) + 1);
  const twice = [...rowsPerJob].filter(([, n]) => n !== 1);
  expect({ jobs: rowsPerJob.size, twice }).toEqual({ jobs: ids.length, twice: [] });
  let total = 0;
  const wrong: string[] = [];
  for (const l of logs) {
    if (!mine.has(l.video)) continue;
    const job = jobs.get(l.video)!;
    const want = expected(l.video, job);
    if (l.quota !== want || job.charged_units !== want)
      wrong.push(`${l.video}: ${l.quota} (${job.state}), not ${want}`);
    total += l.quota;
  }
  expect(wrong.slice(0, 5)).toEqual([]);
  expect((await db.holds()).length).toBe(0);
  const { token } = await db.account(acct.id, acct.tokenId);
  expect({ user: user.quota + total, used: user.used_quota }).toEqual({ user: acct.balance, used: total });
  expect({ token: token.remain_quota + total, used: token.used_quota }).toEqual({ token: acct.quota, used: total });
  return total;
}
