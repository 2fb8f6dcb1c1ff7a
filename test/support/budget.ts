// Test support for budget periods (tokens' and users'): a server whose clock reads a chosen time as it
// starts (the test-only APIYI_TEST_CLOCK_MS, honoured only when NODE_ENV=test), a fast model and a slow
// one (a stream of 10 chunks a second apart) priced at $10 / $20 per 1M tokens, and polling until a
// roll or a settlement shows.
import { expectReply } from "./expect";
import type { MockUpstream } from "./mock-upstream";
import { ADMIN_PASSWORD, client, login, priceModels, startServer, type Server } from "./server";

/** A call of 10 prompt + 5 completion tokens at these prices. */
export const BUDGET_CALL_COST = 100;

/** A server on `dataDir` whose clock reads `clockSec` (unix s) as it starts. */
export const startAt = (dataDir: string, clockSec: number) =>
  startServer({ dataDir, env: { APIYI_TEST_CLOCK_MS: String(Math.round(clockSec * 1000)) } });

/** The admin's API client on `server` (signed in again each time: a restart makes a new server). */
export async function adminOf(server: Server) {
  const auth = await login(server.url, "admin", ADMIN_PASSWORD);
  return { auth, ...client(server.url, auth) };
}

/** Prices `fast` and `slow` and gives each a channel on the mock (the slow one streams for ~10 s). */
export async function fastAndSlow(server: Server, mock: MockUpstream, fast: string, slow: string) {
  const api = await adminOf(server);
  await priceModels(server.url, api.auth, [fast, slow], { input: "10", output: "20" });
  const key = `sk-up-${crypto.randomUUID()}`;
  const slowUrl = mock.urlFor("ok,intervalMs=1000,chunks=10");
  for (const [name, url, model] of [
    ["fast", mock.url, fast],
    ["slow", slowUrl, slow],
  ])
    expectReply(await api.post("/api/channel/", { name, type: "openai", key, base_url: url, models: [model] }), 201);
}

/** Reads until `ok` holds, every 100 ms for up to `ms`; the last value read otherwise fails the test. */
export async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(v)}`);
    await Bun.sleep(100);
  }
}
