// Routing with formats and sessions: a channel that cannot serve the call's format is not a
// candidate (group fallback still applies), and calls of one key in one session stay on one channel
// and one upstream key while it stays usable.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, client, login, makeUser, priceModels, useServer } from "../../support/server";

setDefaultTimeout(20_000);

const app = useServer();
let mock: MockUpstream;
let admin: ReturnType<typeof client>;
let key = "";
const ch: Record<string, number> = {};

beforeAll(async () => {
  mock = startMockUpstream({});
  const auth = await login(app.url, "admin", ADMIN_PASSWORD);
  admin = client(app.url, auth);
  expectReply(await admin.post("/api/group/", { name: "fb" }), 201);
  const add = async (name: string, body: Record<string, unknown>) => {
    ch[name] = expectReply(
      await admin.post("/api/channel/", { name, key: `k-${name}-1\nk-${name}-2`, base_url: mock.url, ...body }),
      201,
    ).id;
  };
  await add("claude-default", { type: "anthropic", models: ["mixed"], group: "default", priority: 10 });
  await add("openai-fb", { type: "openai", models: ["mixed"], group: "fb" });
  await add("a", { type: "openai", models: ["pinned"] });
  await add("b", { type: "openai", models: ["pinned"] });
  await priceModels(app.url, auth, ["mixed", "pinned"]);
  const user = await makeUser(app.url, auth, "router");
  expectReply(await admin.post(`/api/user/${user.id}/topup`, { quota: 10_000_000 }), 200);
  key = expectReply(
    await user.api.post("/api/token/", { name: "r", unlimited_quota: true, fallback_groups: ["fb"] }),
    201,
  ).key;
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
const chat = (model: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  post("/v1/chat/completions", { model, messages: [{ role: "user", content: "hi" }], ...extra }, headers);
const usedKey = () => mock.requests[mock.requests.length - 1].headers.authorization;

describe("formats in routing", () => {
  test("embeddings skip the default group's anthropic channel and are served by the fallback group's openai channel", async () => {
    const r = await post("/v1/embeddings", { model: "mixed", input: "hi" });
    expect(r.status).toBe(200);
    expect(mock.requests.at(-1)!.path).toBe("/v1/embeddings");
  });

  test("chat prefers the default group: the anthropic channel, by translation", async () => {
    expect((await chat("mixed")).status).toBe(200);
    expect(mock.requests.at(-1)!.path).toBe("/v1/messages");
  });
});

describe("session affinity", () => {
  test("one prompt_cache_key: every call on the same channel and the same upstream key", async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      expect((await chat("pinned", { prompt_cache_key: "session-1" })).status).toBe(200);
      seen.add(usedKey());
    }
    expect(seen.size).toBe(1);
  });

  test("a session-id header pins too; without a session, calls spread over channels and keys", async () => {
    const pinned = new Set<string>();
    const free = new Set<string>();
    for (let i = 0; i < 12; i++) {
      expect((await chat("pinned", {}, { "session-id": "s-2" })).status).toBe(200);
      pinned.add(usedKey());
      expect((await chat("pinned")).status).toBe(200);
      free.add(usedKey());
    }
    expect(pinned.size).toBe(1);
    expect(free.size).toBeGreaterThan(1); // round robin over two keys at least
  });

  test("one session across two models keeps each model's pin (Claude Code's small and main model)", async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) {
      expect((await chat("pinned", {}, { "x-claude-code-session-id": "cc-both" })).status).toBe(200);
      seen.add(usedKey());
      expect((await chat("mixed", {}, { "x-claude-code-session-id": "cc-both" })).status).toBe(200);
    }
    expect(seen.size).toBe(1);
  });

  test("when the pinned channel is disabled the session moves, and stays where it moved", async () => {
    expect((await chat("pinned", { prompt_cache_key: "session-3" })).status).toBe(200);
    const first = usedKey();
    const firstId = first.includes("k-a-") ? ch.a : ch.b;
    expectReply(await admin.put("/api/channel/", { id: firstId, status: 2 }), 200);
    try {
      const after = new Set<string>();
      for (let i = 0; i < 4; i++) {
        expect((await chat("pinned", { prompt_cache_key: "session-3" })).status).toBe(200);
        after.add(usedKey());
      }
      expect(after.size).toBe(1);
      expect([...after][0]).not.toBe(first);
    } finally {
      expectReply(await admin.put("/api/channel/", { id: firstId, status: 1 }), 200);
    }
  });
});
