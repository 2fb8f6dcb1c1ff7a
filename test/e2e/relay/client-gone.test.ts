// A client that hangs up while the upstream is still thinking is not the channel's fault: the
// breaker does not count it, and the channel keeps serving afterwards. It still owes its prompt:
// the upstream had it (a client gone before its request was sent owes nothing).
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { LOG_TYPE } from "../../../src/core/status";
import { expectReply } from "../../support/expect";
import { startMockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, client, login, makeUser, useServer, priceModels } from "../../support/server";

setDefaultTimeout(20_000);

const mock = startMockUpstream({ models: ["slow-model"] });
const app = useServer();
afterAll(() => mock.stop());

test("six clients hanging up before the first byte do not open the breaker", async () => {
  const adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  const admin = client(app.url, adminAuth);
  await priceModels(app.url, adminAuth, "slow-model");
  expectReply(
    await admin.post("/api/channel/", {
      name: "slow",
      base_url: mock.urlFor("slow_first_byte=1500"),
      key: "sk-up",
      models: "slow-model",
    }),
    201,
  );
  const token = expectReply(await admin.post("/api/token/", { name: "impatient", unlimited_quota: true }), 201);
  const send = (signal?: AbortSignal) =>
    fetch(`${app.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${token.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "slow-model", messages: [{ role: "user", content: "hi" }] }),
      signal,
    });
  for (let i = 0; i < 6; i++) {
    const controller = new AbortController();
    const pending = send(controller.signal).catch(() => "aborted");
    await mock.waitFor(() => mock.requests.length > i, 2000);
    controller.abort();
    expect(await pending).toBe("aborted");
  }
  await mock.waitFor(() => mock.aborted >= 6, 3000);
  const ok = await send();
  expect(ok.status).toBe(200);
  const metrics = await fetch(`${app.url}/metrics`, {
    headers: { cookie: (await login(app.url, "admin", ADMIN_PASSWORD)).cookie },
  });
  expect(await metrics.text()).not.toMatch(/apiyi_upstream_failures_total\{channel="\d+",reason="network"\}/);
});

// issue 10, item 12: the upstream had the prompt, and bills for it, whatever the client did next
describe("a client gone after its request went upstream pays at least its prompt", () => {
  const PROMPT = "Tell me a long story about a gateway that bills exactly what it owes.";

  /** A user (not unlimited) with a balance and a limited token, on a model priced $1 / $2 per 1M. */
  async function account(name: string) {
    const adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
    const user = await makeUser(app.url, adminAuth, name);
    expectReply(await client(app.url, adminAuth).post(`/api/user/${user.id}/topup`, { quota: 100_000 }), 200);
    const token = expectReply(await user.api.post("/api/token/", { name: "t", remain_quota: 50_000 }), 201);
    return { adminAuth, user, key: token.key as string };
  }

  /** The user's one call row (the top-up's row left aside). */
  async function onlyRow(adminAuth: { cookie: string }, userId: number) {
    const until = Date.now() + 5000;
    for (;;) {
      const items = (
        expectReply(await client(app.url, adminAuth).get(`/api/log/?user_id=${userId}`), 200).items as any[]
      ).filter((r) => r.type === LOG_TYPE.consume || r.type === LOG_TYPE.error);
      if (items.length > 0) {
        expect(items).toHaveLength(1);
        return items[0];
      }
      if (Date.now() > until) throw new Error("no log row");
      await Bun.sleep(20);
    }
  }

  test("gone while the upstream holds its first byte: 499 client_disconnected, the prompt counted and billed", async () => {
    const { adminAuth, user, key } = await account("gone-billed");
    const admin = client(app.url, adminAuth);
    await priceModels(app.url, adminAuth, "held-model");
    expectReply(
      await admin.post("/api/channel/", {
        name: "held",
        base_url: mock.urlFor("slow_first_byte=3000"),
        key: "sk-up",
        models: "held-model",
      }),
      201,
    );
    const controller = new AbortController();
    const seen = mock.requests.length;
    const pending = fetch(`${app.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "held-model", messages: [{ role: "user", content: PROMPT }] }),
      signal: controller.signal,
    }).catch(() => "aborted");
    await mock.waitFor(() => mock.requests.length > seen, 3000); // the upstream has the whole request
    controller.abort();
    expect(await pending).toBe("aborted");

    const row = await onlyRow(adminAuth, user.id);
    const prompt = countTokens(PROMPT);
    expect(row).toMatchObject({
      type: 5,
      status_code: 499,
      error_code: "client_disconnected",
      prompt_tokens: prompt,
      completion_tokens: 0,
    });
    // $1 per 1M prompt tokens: half a unit each, rounded up once
    expect(row.quota).toBe(Math.ceil(prompt / 2));
    expect(row.quota).toBeGreaterThan(0);
    const self = expectReply(await user.api.get("/api/user/self"), 200);
    expect(self.quota).toBe(100_000 - row.quota);
  });

  test("gone before its request was sent (its body still arriving) costs nothing, and nothing went upstream", async () => {
    const { adminAuth, user, key } = await account("gone-free");
    await priceModels(app.url, adminAuth, "never-sent");
    expectReply(
      await client(app.url, adminAuth).post("/api/channel/", {
        name: "never",
        base_url: mock.url,
        key: "sk-up",
        models: "never-sent",
      }),
      201,
    );
    const seen = mock.requests.length;
    const controller = new AbortController();
    const enc = new TextEncoder();
    let sentHalf!: () => void;
    const half = new Promise<void>((ok) => (sentHalf = ok));
    const body = new ReadableStream({
      async start(c) {
        c.enqueue(enc.encode(`{"model":"never-sent","messages":[{"role":"user","content":"${PROMPT}`));
        sentHalf();
        await new Promise(() => {}); // the rest never comes
      },
    });
    const pending = fetch(`${app.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body,
      duplex: "half",
      signal: controller.signal,
    } as RequestInit).catch(() => "aborted");
    await half;
    await Bun.sleep(200);
    controller.abort();
    expect(await pending).toBe("aborted");
    const row = await onlyRow(adminAuth, user.id);
    expect(row).toMatchObject({ type: LOG_TYPE.error, quota: 0, channel_id: 0 }); // its status is the body reader's (item 6)
    expect(mock.requests.length).toBe(seen);
    expect(expectReply(await user.api.get("/api/user/self"), 200).quota).toBe(100_000);
  });
});
