// Test support: a signed-in admin of a running server with what the relay tests of channels need: an
// unlimited sk- key, channels added with priced models, a call's log row by its request id, a
// channel's view polled (bounded) until it reaches a state, and the test clock moved forward (on a
// server started with testClock()).
import { expectReply } from "./expect";
import { ADMIN_PASSWORD, client, login, priceModels } from "./server";

export type Gateway = Awaited<ReturnType<typeof gatewayAdmin>>;

export async function gatewayAdmin(base: string) {
  const auth = await login(base, "admin", ADMIN_PASSWORD);
  const admin = client(base, auth);
  const token = expectReply(
    await admin.post("/api/token/", { name: `relay-${crypto.randomUUID().slice(0, 8)}`, unlimited_quota: true }),
    201,
  );
  const priced = new Set<string>();

  /** Creates a channel (201 expected) after pricing its models. */
  async function addChannel(body: Record<string, unknown>) {
    const models = (Array.isArray(body.models) ? body.models : String(body.models).split(","))
      .map(String)
      .filter((m) => !priced.has(m));
    if (models.length) await priceModels(base, auth, models);
    for (const m of models) priced.add(m);
    return expectReply(await admin.post("/api/channel/", { key: `sk-up-${crypto.randomUUID()}`, ...body }), 201);
  }

  const channel = async (id: number) => expectReply(await admin.get(`/api/channel/${id}`), 200);

  async function waitForChannel(id: number, ok: (c: any) => boolean, ms = 5000) {
    const until = Date.now() + ms;
    for (;;) {
      const c = await channel(id);
      if (ok(c)) return c;
      if (Date.now() > until) throw new Error(`channel ${id} did not reach the expected state: ${JSON.stringify(c)}`);
      await Bun.sleep(20);
    }
  }

  /** The log row of a call (written in batches: polled, at most 5 s). */
  async function logRow(requestId: string) {
    const until = Date.now() + 5000;
    for (;;) {
      const items = expectReply(await admin.get(`/api/log/?request_id=${encodeURIComponent(requestId)}`), 200).items;
      if (items.length) return items[0];
      if (Date.now() > until) throw new Error(`no log row for request ${requestId}`);
      await Bun.sleep(20);
    }
  }

  /** Moves the server's test clock forward (POST /api/test/clock); returns its reading, unix ms. */
  const advanceClock = async (seconds: number) =>
    expectReply(await admin.post("/api/test/clock", { advance_seconds: seconds }), 200).now_ms as number;

  return { auth, admin, key: token.key as string, addChannel, channel, waitForChannel, logRow, advanceClock };
}
