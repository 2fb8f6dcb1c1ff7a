// Redaction (issue 10, item 8): an upstream that puts its key and its URLs into an error never gets
// them to the client, on any surface (chat, Responses, Anthropic messages, Gemini), native or
// translated, in a JSON error (4xx, or an error body sent with 200) or in the error events of a 200
// stream; the call's log row holds neither. The mock's "leak" fault (test/support/mock/leak.ts) says
// `Request failed for API key <key> (<masked>) at <its URL>…`; the client must see the message
// scrubbed ([redacted], [upstream]), not replaced, so the positive control checks for those marks.
import { beforeAll, afterAll, describe, expect, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { maskKey, startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, call, client, login, priceModels, useServer, type Auth } from "../../support/server";

const app = useServer();
let mock: MockUpstream;
let admin: Auth;
let apiKey = "";

/** Upstream keys in the shapes real ones have. */
const KEYS = {
  openai: `sk-proj-${"Ab3dE".repeat(8)}Leak`,
  anthropic: `sk-ant-api03-${"Zx9Yw".repeat(8)}Leak`,
  gemini: `AIzaSy${"Qr7Tu".repeat(6)}Lk`,
};
type Upstream = keyof typeof KEYS;
type Surface = "chat" | "responses" | "messages" | "gemini";

const model = (u: Upstream, status: number) => `leak-${u}-${status}`;

beforeAll(async () => {
  mock = startMockUpstream();
  admin = await login(app.url, "admin", ADMIN_PASSWORD);
  const api = client(app.url, admin);
  for (const status of [400, 200]) {
    const spec = `leak=1,status=${status}`;
    const channels: [Upstream, Record<string, unknown>][] = [
      ["openai", { type: "openai", base_url: mock.urlFor(spec), supports_responses: true }],
      ["anthropic", { type: "anthropic", base_url: mock.urlFor(spec) }],
      ["gemini", { type: "gemini", base_url: mock.urlFor(spec, "/v1beta") }],
    ];
    for (const [u, body] of channels) {
      expectReply(
        await api.post("/api/channel/", {
          name: `leak-${u}-${status}`,
          key: KEYS[u],
          models: [model(u, status)],
          ...body,
        }),
        201,
      );
      await priceModels(app.url, admin, model(u, status));
    }
  }
  apiKey = expectReply(await api.post("/api/token/", { name: "leak", unlimited_quota: true }), 201).key;
});
afterAll(() => mock?.stop());

/** One call on a surface, read whole (a stream to its end). */
async function callSurface(surface: Surface, m: string, stream: boolean) {
  const auth = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
  const messages = [{ role: "user", content: "hi" }];
  const [path, body] =
    surface === "chat"
      ? ["/v1/chat/completions", { model: m, messages, stream }]
      : surface === "responses"
        ? ["/v1/responses", { model: m, input: "hi", stream }]
        : surface === "messages"
          ? ["/v1/messages", { model: m, max_tokens: 64, messages, stream }]
          : [
              `/v1beta/models/${m}:${stream ? "streamGenerateContent?alt=sse" : "generateContent"}`,
              { contents: [{ role: "user", parts: [{ text: "hi" }] }] },
            ];
  const res = await fetch(app.url + path, { method: "POST", headers: auth, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text(), requestId: res.headers.get("x-request-id") ?? "" };
}

/** Nothing of the key (whole, masked, its tail) or the upstream's address is in `text`. */
function expectNoSecrets(text: string, u: Upstream) {
  const key = KEYS[u];
  const found = [key, key.slice(8), maskKey(key), mock.origin, `127.0.0.1:${new URL(mock.origin).port}`].filter((s) =>
    text.includes(s),
  );
  expect(found).toEqual([]);
}

async function logRow(requestId: string) {
  const until = Date.now() + 5000;
  for (;;) {
    const items = expectReply(
      await call(app.url, "GET", `/api/log/?request_id=${encodeURIComponent(requestId)}`, undefined, admin),
      200,
    ).items;
    if (items.length > 0) return items[0];
    if (Date.now() > until) throw new Error(`no log row for ${requestId}`);
    await Bun.sleep(20);
  }
}

// every surface natively, and translated through each other upstream format
const CASES: [Surface, Upstream][] = [
  ["chat", "openai"],
  ["chat", "anthropic"],
  ["chat", "gemini"],
  ["responses", "openai"],
  ["responses", "anthropic"],
  ["messages", "anthropic"],
  ["messages", "openai"],
  ["gemini", "gemini"],
  ["gemini", "openai"],
];

describe("an upstream error event inside a 200 stream reaches the client redacted", () => {
  for (const [surface, upstream] of CASES) {
    test(`${surface} client, ${upstream} upstream`, async () => {
      const r = await callSurface(surface, model(upstream, 400), true);
      expect(r.status).toBe(200);
      expect(r.text).toContain("Request failed for API key"); // the upstream's error event got through…
      expect(r.text).toMatch(/\[redacted\]|\[upstream\]/); // …scrubbed
      expectNoSecrets(r.text, upstream);
      expectNoSecrets(JSON.stringify(await logRow(r.requestId)), upstream);
    });
  }
});

describe("an upstream JSON error reaches the client redacted", () => {
  for (const [surface, upstream] of CASES) {
    test(`${surface} client, ${upstream} upstream, the error with status 400`, async () => {
      const r = await callSurface(surface, model(upstream, 400), false);
      expect(r.status).toBe(400);
      expect(r.text).toContain("Request failed for API key");
      expectNoSecrets(r.text, upstream);
      expectNoSecrets(JSON.stringify(await logRow(r.requestId)), upstream);
    });
  }

  for (const [surface, upstream] of CASES.filter(([s, u]) =>
    s === "messages" ? u === "anthropic" : s === "gemini" ? u === "gemini" : u === "openai",
  )) {
    test(`${surface} client, ${upstream} upstream, the error sent with status 200`, async () => {
      const r = await callSurface(surface, model(upstream, 200), false);
      expect(r.text).toContain("Request failed for API key");
      expectNoSecrets(r.text, upstream);
      expectNoSecrets(JSON.stringify(await logRow(r.requestId)), upstream);
    });
  }
});
