// Test support: several apiyi instances serving one PostgreSQL database (issue 17), each a real
// process on its own port and data dir, sharing the sealing secret; and the database's own view of an
// account's money (balance, what instances hold in leases, Σ logged costs) for exactness checks.
import { afterAll, beforeAll } from "bun:test";
import OpenAI, { APIError } from "openai";
import { expectReply } from "./expect";
import { type MockOptions, type MockUpstream, startMockUpstream } from "./mock-upstream";
import { onDatabase, usePgDatabase } from "./postgres";
import { ADMIN_PASSWORD, type Auth, client, login, type Server, startServer } from "./server";

/** The secret every instance seals keys with (tests only). */
export const CLUSTER_SECRET = "cluster-test-secret-0123456789abcdefghijklmnop";

/** One channel to the mock serving `model` at $0.002 a call (1,000 units), through `admin`. */
export async function perCallModel(admin: ReturnType<typeof client>, mockUrl: string, model: string) {
  const channel = {
    name: `mock-${model}`,
    type: "openai",
    base_url: mockUrl,
    key: "sk-up",
    models: [model],
    group: ["default"],
  };
  expectReply(await admin.post("/api/channel/", channel), 201);
  expectReply(await admin.post("/api/pricing/", { model, per_call: "0.002" }), 201);
}

export type LiveCluster = {
  servers: Server[];
  mock: MockUpstream;
  database: { readonly url: string };
  adminAuth: Auth;
  admin: ReturnType<typeof client>;
};

/** For a describePg: a fresh database, `n` instances on it (env `env`), a mock upstream serving `model` at
 * $0.002 a call, and the admin signed in on the first; all stopped before the database is dropped. */
export function useCluster(n: number, model: string, env: Record<string, string> = {}, mockOpts: MockOptions = {}) {
  const live = { servers: [] } as unknown as LiveCluster;
  afterAll(async () => {
    await Promise.all(live.servers.map((s) => s.stop()));
    live.mock?.stop();
  });
  live.database = usePgDatabase(); // after the stop above: hooks run in the order they are defined
  beforeAll(async () => {
    live.mock = startMockUpstream(mockOpts);
    live.servers = await startCluster(live.database.url, n, env);
    live.adminAuth = await login(live.servers[0].url, "admin", ADMIN_PASSWORD);
    live.admin = client(live.servers[0].url, live.adminAuth);
    await perCallModel(live.admin, live.mock.url, model);
  });
  return live;
}

/** Starts `n` instances on `url`, one after another (the first bootstraps; the others find it done). */
export async function startCluster(url: string, n: number, env: Record<string, string> = {}): Promise<Server[]> {
  const servers: Server[] = [];
  for (let i = 0; i < n; i++)
    servers.push(await startServer({ args: ["--database", url], env: { APIYI_SECRET: CLUSTER_SECRET, ...env } }));
  return servers;
}

/** One chat call to `url`; its status (0: no HTTP answer, e.g. the instance died). */
export async function chatStatus(url: string, key: string, model: string): Promise<number> {
  try {
    const r = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
    });
    await r.arrayBuffer();
    return r.status;
  } catch {
    return 0;
  }
}

/** `workers` callers, each calling the instances in turn, one call after another, until `until()`; the
 * statuses of every call. */
export async function loadUntil(
  urls: string[],
  key: string,
  model: string,
  workers: number,
  until: () => boolean,
): Promise<number[]> {
  const got: number[] = [];
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = w; !until(); i++) got.push(await chatStatus(urls[i % urls.length], key, model));
    }),
  );
  return got;
}

/** Waits (bounded by `ms`) until `check` answers true; says whether it did. */
export async function eventually(check: () => Promise<boolean>, ms: number, everyMs = 100): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await Bun.sleep(everyMs);
  }
}

export type Money = { balance: number; leased: number; logged: number; calls: number };

/** An account's money as the database has it: its balance column, what leases hold of it, and the Σ of
 * its logged call costs (consume rows, type 2, of the token or of the user) and how many of them cost something. */
export function moneyOf(url: string, kind: "token" | "user", id: number): Promise<Money> {
  return onDatabase(url, async (sql) => {
    const [b] =
      kind === "token"
        ? await sql`SELECT remain_quota AS v FROM tokens WHERE id = ${id}`
        : await sql`SELECT quota AS v FROM users WHERE id = ${id}`;
    const [l] =
      await sql`SELECT coalesce(sum(amount), 0)::bigint AS v FROM leases WHERE kind = ${kind} AND account_id = ${id}`;
    const [c] =
      kind === "token"
        ? await sql`SELECT coalesce(sum(quota), 0)::bigint AS v, count(*) FILTER (WHERE quota > 0) AS n FROM logs WHERE token_id = ${id} AND type = 2`
        : await sql`SELECT coalesce(sum(quota), 0)::bigint AS v, count(*) FILTER (WHERE quota > 0) AS n FROM logs WHERE user_id = ${id} AND type = 2`;
    return { balance: Number(b.v), leased: Number(l.v), logged: Number(c.v), calls: Number(c.n) };
  });
}

/** Waits (bounded) until every instance knows the key: the change reached them. */
export async function knownOnAll(c: LiveCluster, key: string) {
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

/** `calls` chat calls at once through the `openai` client, call i on instance i % n with key i % keys.length:
 * how many were served, refused (429), or neither, and how many reached the upstream. */
export async function raceCalls(c: LiveCluster, keys: string[], calls: number, model: string) {
  const before = c.mock.requests.length;
  const statuses = await Promise.all(
    Array.from({ length: calls }, async (_, i) => {
      const url = c.servers[i % c.servers.length].url;
      const sdk = new OpenAI({ baseURL: `${url}/v1`, apiKey: keys[i % keys.length], maxRetries: 0 });
      try {
        await sdk.chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] });
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
    other: calls - count(200) - count(429),
    upstream: c.mock.requests.length - before,
  };
}

/** The account's money once `calls` of its costs are written (the ledger writes in batches), bounded. */
export async function settledMoney(c: LiveCluster, kind: "token" | "user", id: number, calls: number) {
  const until = Date.now() + 10_000;
  for (;;) {
    const m = await moneyOf(c.database.url, kind, id);
    if (m.calls >= calls || Date.now() > until) return m;
    await Bun.sleep(100);
  }
}
