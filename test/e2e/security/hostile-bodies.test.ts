// Ambiguous or hostile JSON on every /v1 JSON endpoint (issue 10, item 9), end to end through a real
// server, each refusal in its surface's shape (OpenAI / Anthropic / Gemini) and before any upstream is
// contacted: a key given twice (the whitelist would judge one model while a first-key parser upstream
// serves the other) → 400 naming the key; invalid UTF-8 → 400; nesting past 128 levels (20,000 levels
// was a 500 from a stack overflow in token counting) → 400; a content type other than JSON → 415, while
// a request without one is read as JSON. Multipart endpoints take multipart only (JSON → 415), and a form
// field given twice is refused too. The scanner itself is unit-tested in test/http/json-guard.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { startMockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, client, login, priceModels, useServer } from "../../support/server";
import { bodyRoutes, expectSurfaceError, jsonRoutes, type BodyRoute } from "../../support/v1-routes";

const CHEAP = "cheap-model";
const EXPENSIVE = "expensive-model";
const GEMINI = "gemini-x";

const mock = startMockUpstream();
const app = useServer();
afterAll(() => mock.stop());

let key = "";
let wideKey = ""; // no whitelist: reaches every model

beforeAll(async () => {
  const auth = await login(app.url, "admin", ADMIN_PASSWORD);
  const admin = client(app.url, auth);
  await priceModels(app.url, auth, [CHEAP, EXPENSIVE, GEMINI]);
  expectReply(
    await admin.post("/api/channel/", {
      name: "mock",
      base_url: mock.url,
      key: "sk-up",
      models: `${CHEAP},${EXPENSIVE},${GEMINI}`,
    }),
    201,
  );
  key = expectReply(
    await admin.post("/api/token/", { name: "whitelisted", unlimited_quota: true, models: [CHEAP, GEMINI] }),
    201,
  ).key;
  wideKey = expectReply(await admin.post("/api/token/", { name: "wide", unlimited_quota: true }), 201).key;
});
beforeEach(() => mock.reset());

/** A valid body for the route. */
function bodyFor(route: BodyRoute, model = CHEAP): Record<string, unknown> {
  const path = route.path;
  if (route.surface === "gemini") return { contents: [{ role: "user", parts: [{ text: "hi" }] }] };
  const messages = [{ role: "user", content: "hi" }];
  if (path.includes("chat")) return { model, messages };
  if (path.includes("messages")) return { model, max_tokens: 10, messages };
  if (path.includes("completions")) return { model, prompt: "hi" };
  if (path.includes("images")) return { model, prompt: "a cat" };
  if (path.includes("speech")) return { model, input: "hi", voice: "alloy" };
  return { model, input: "hi" }; // embeddings, responses
}

/** A POST with `key` in the surface's usual header; `type` null sends no content type at all. */
function send(
  route: BodyRoute,
  body: string | Uint8Array<ArrayBuffer>,
  type: string | null = "application/json",
  apiKey = key,
) {
  const headers: Record<string, string> =
    route.surface === "anthropic"
      ? { "x-api-key": apiKey }
      : route.surface === "gemini"
        ? { "x-goog-api-key": apiKey }
        : { authorization: `Bearer ${apiKey}` };
  if (type !== null) headers["content-type"] = type;
  return fetch(app.url + route.path, { method: "POST", headers, body });
}

async function expectRefused(route: BodyRoute, res: Response, status: number, says: string) {
  const body = await res.json();
  expect({ path: route.path, status: res.status }).toEqual({ path: route.path, status });
  expect(expectSurfaceError(route.surface, status, body)).toContain(says);
  expect(res.headers.get("x-request-id")).toBeTruthy();
}

describe("a key given twice", () => {
  test("the whitelist trick: a forbidden model first, an allowed one last → 400 naming model, nothing sent upstream", async () => {
    for (const route of jsonRoutes(GEMINI).filter((r) => r.surface !== "gemini")) {
      const text = JSON.stringify(bodyFor(route)).replace("{", `{"model":"${EXPENSIVE}",`);
      expect(text.indexOf(`"model":"${CHEAP}"`)).toBeGreaterThan(0);
      const res = await send(route, text);
      await expectRefused(route, res, 400, '"model" appears twice');
    }
    expect(mock.requests).toHaveLength(0);
  });

  test("on Gemini's endpoints (the model is in the path): any key twice → 400 naming it", async () => {
    for (const route of jsonRoutes(GEMINI).filter((r) => r.surface === "gemini")) {
      const text =
        '{"contents":[{"role":"user","parts":[{"text":"a"}]}],"contents":[{"role":"user","parts":[{"text":"b"}]}]}';
      await expectRefused(route, await send(route, text), 400, '"contents" appears twice');
    }
    expect(mock.requests).toHaveLength(0);
  });

  test("spelled with an escape, or nested (an output cap given twice) → 400", async () => {
    const chat = jsonRoutes()[0];
    await expectRefused(
      chat,
      await send(chat, `{"model":"${EXPENSIVE}","mod\\u0065l":"${CHEAP}","messages":[]}`),
      400,
      '"model" appears twice',
    );
    const gemini = jsonRoutes(GEMINI).find((r) => r.path.endsWith(":generateContent"))!;
    const capTwice = '{"contents":[],"generationConfig":{"maxOutputTokens":100000,"maxOutputTokens":10}}';
    await expectRefused(gemini, await send(gemini, capTwice), 400, '"maxOutputTokens" appears twice');
    expect(mock.requests).toHaveLength(0);
  });
});

test("invalid UTF-8 → 400 on every JSON endpoint", async () => {
  for (const route of jsonRoutes(GEMINI)) {
    const bytes = new TextEncoder().encode(JSON.stringify({ note: "~", ...bodyFor(route) }));
    bytes[bytes.indexOf(0x7e)] = 0xff; // the ~ becomes a byte that is never valid UTF-8, inside a string
    await expectRefused(route, await send(route, bytes), 400, "not valid UTF-8");
  }
  expect(mock.requests).toHaveLength(0);
});

test("nesting past 128 levels → 400 on every JSON endpoint (20,000 levels was a 500)", async () => {
  const deep = "[".repeat(20_000) + "]".repeat(20_000);
  for (const route of jsonRoutes(GEMINI)) {
    const body = bodyFor(route);
    const text = JSON.stringify({ ...body, messages: "DEEP" }).replace('"DEEP"', deep);
    await expectRefused(route, await send(route, text, "application/json", wideKey), 400, "more than 128 levels deep");
  }
  expect(mock.requests).toHaveLength(0);
});

test("nesting of a real tool schema (about 30 levels) is served", async () => {
  let schema: Record<string, unknown> = { type: "string" };
  for (let i = 0; i < 14; i++) schema = { type: "object", properties: { [`level${i}`]: schema } };
  const chat = jsonRoutes()[0];
  const body = { ...bodyFor(chat), tools: [{ type: "function", function: { name: "deep", parameters: schema } }] };
  const res = await send(chat, JSON.stringify(body));
  expect(res.status).toBe(200);
});

describe("content types", () => {
  test("text/plain and form-urlencoded → 415 on every JSON endpoint, saying what to send", async () => {
    for (const route of jsonRoutes(GEMINI)) {
      const text = JSON.stringify(bodyFor(route));
      await expectRefused(route, await send(route, text, "text/plain"), 415, "application/json");
      await expectRefused(
        route,
        await send(route, text, "application/x-www-form-urlencoded"),
        415,
        "content-type: application/json",
      );
    }
    expect(mock.requests).toHaveLength(0);
  });

  test("no content type at all is read as JSON; JSON with a charset or a +json type is JSON", async () => {
    const chat = jsonRoutes()[0];
    const text = JSON.stringify(bodyFor(chat));
    for (const type of [null, "application/json; charset=utf-8", "application/vnd.api+json"]) {
      const res = await send(chat, text, type);
      expect({ type, status: res.status }).toEqual({ type, status: 200 });
    }
  });

  test("multipart endpoints take multipart only: JSON → 415; a form field given twice → 400", async () => {
    for (const route of bodyRoutes().filter((r) => r.multipart)) {
      await expectRefused(route, await send(route, JSON.stringify({ model: CHEAP })), 415, "multipart/form-data");
      const form = new FormData();
      form.append("model", EXPENSIVE);
      form.append("model", CHEAP);
      form.append("prompt", "x");
      const res = await fetch(app.url + route.path, {
        method: "POST",
        headers: { authorization: `Bearer ${key}` },
        body: form,
      });
      await expectRefused(route, res, 400, '"model" is given twice');
    }
    expect(mock.requests).toHaveLength(0);
  });
});
