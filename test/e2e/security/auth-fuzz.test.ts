// Authorization fuzz on /v1 (issue 10, the checklist of item 25): garbage, huge values, control
// characters, non-ASCII, every scheme, several keys at once in the four places a key can come from
// (Authorization, x-api-key, x-goog-api-key, ?key=). An unusable key is always a clean 401 in the
// surface's shape (or, for bytes HTTP itself forbids, Bun's own 4xx), never a 500, and the server lives
// on with nothing unexpected in its log; a well-formed valid key among garbage is still found.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { rawHead, rawRequest } from "../../support/raw-http";
import { ADMIN_PASSWORD, client, login, useServer } from "../../support/server";
import { expectSurfaceError, type SurfaceName } from "../../support/v1-routes";

setDefaultTimeout(60_000);

const app = useServer();
let validKey = "";

beforeAll(async () => {
  const admin = client(app.url, await login(app.url, "admin", ADMIN_PASSWORD));
  validKey = expectReply(await admin.post("/api/token/", { name: "fuzz", unlimited_quota: true }), 201).key;
});

type Route = { method: "GET" | "POST"; path: string; surface: SurfaceName; body?: string };
const ROUTES: Route[] = [
  { method: "GET", path: "/v1/models", surface: "openai" },
  { method: "POST", path: "/v1/chat/completions", surface: "openai", body: '{"model":"m","messages":[]}' },
  { method: "POST", path: "/v1/embeddings", surface: "openai", body: '{"model":"m","input":"x"}' },
  { method: "POST", path: "/v1/messages", surface: "anthropic", body: '{"model":"m","max_tokens":1,"messages":[]}' },
  { method: "POST", path: "/v1/messages/count_tokens", surface: "anthropic", body: '{"model":"m","messages":[]}' },
  { method: "GET", path: "/v1beta/models", surface: "gemini" },
  { method: "POST", path: "/v1beta/models/m:generateContent", surface: "gemini", body: '{"contents":[]}' },
];

/** A seeded generator, so a failure can be replayed. */
function random(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}
const next = random(20261206);
const printable = (n: number) =>
  Array.from({ length: n }, () => String.fromCharCode(32 + Math.floor(next() * 95))).join("");
const base62 = (n: number) =>
  Array.from(
    { length: n },
    () => "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"[Math.floor(next() * 62)],
  ).join("");
const unknownKey = () => `sk-${base62(48)}`;

/** Values fetch can send (ByteStrings: latin-1 included). */
const VALUES: string[] = [
  "",
  " ",
  "Bearer",
  "Bearer ",
  "Bearer sk-",
  "sk-",
  `sk-${base62(47)}`,
  `sk-${base62(49)}`,
  `sk-${base62(47)}!`,
  unknownKey(),
  `Bearer ${unknownKey()}`,
  `bearer\t${unknownKey()}`,
  `BEARER ${unknownKey()}`,
  `Bearer Bearer ${unknownKey()}`,
  `Token ${unknownKey()}`,
  `Basic ${btoa(`user:${unknownKey()}`)}`,
  `Digest username="x", response="${base62(32)}"`,
  `Bearer ${unknownKey()}, Bearer ${unknownKey()}`,
  `${unknownKey()};${unknownKey()}`,
  `Bearer sk-é${base62(47)}`,
  `Bearer ${"A".repeat(8000)}`,
  `Bearer sk-${"0".repeat(8000)}`,
  ...Array.from({ length: 40 }, () => printable(1 + Math.floor(next() * 120))),
];

/** The ways one value can be sent: as each of the four places. */
function placed(value: string, where: "authorization" | "x-api-key" | "x-goog-api-key" | "query") {
  if (where === "query") return { headers: {}, query: `?key=${encodeURIComponent(value)}` };
  return { headers: { [where]: value }, query: "" };
}

async function call(route: Route, headers: Record<string, string>, query = "") {
  const res = await fetch(app.url + route.path + query, {
    method: route.method,
    headers: route.body ? { "content-type": "application/json", ...headers } : headers,
    body: route.body,
  });
  return { status: res.status, body: await res.text(), route };
}

function expectClean401(r: { status: number; body: string; route: Route }, what: string) {
  expect({ what, path: r.route.path, status: r.status }).toEqual({ what, path: r.route.path, status: 401 });
  expectSurfaceError(r.route.surface, 401, JSON.parse(r.body));
}

describe("unusable keys: a clean 401 in the surface's shape", () => {
  test("every value in each of the four places, on every surface", async () => {
    for (const route of ROUTES) {
      const replies = await Promise.all(
        VALUES.flatMap((v) =>
          (["authorization", "x-api-key", "x-goog-api-key", "query"] as const).map(async (where) => {
            const { headers, query } = placed(v, where);
            return { r: await call(route, headers, query), what: `${where}=${JSON.stringify(v.slice(0, 40))}` };
          }),
        ),
      );
      for (const { r, what } of replies) expectClean401(r, what);
    }
  });

  test("several keys at once, in every place, none valid", async () => {
    for (const route of ROUTES) {
      const headers = {
        authorization: `Bearer ${unknownKey()}`,
        "x-api-key": unknownKey(),
        "x-goog-api-key": printable(30),
      };
      expectClean401(await call(route, headers, `?key=${unknownKey()}&key=${unknownKey()}`), "four places");
      expectClean401(
        await call(
          route,
          { authorization: printable(60), "x-api-key": "", "x-goog-api-key": `Bearer ${unknownKey()}` },
          "?key=%ZZ&key",
        ),
        "garbage",
      );
    }
  });

  test("no key at all", async () => {
    for (const route of ROUTES) expectClean401(await call(route, {}), "none");
  });
});

// (a well-formed sk- key that comes first wins, as README says: a valid key behind an unknown sk- key is 401)
test("a valid key among garbage in the other places is found (not 401)", async () => {
  const chat = ROUTES[1];
  const cases: Record<string, string>[] = [
    { authorization: printable(50), "x-api-key": validKey },
    { authorization: `Bearer ya29.${base62(60)}`, "x-goog-api-key": validKey }, // Gemini CLI's own Bearer beside the key
    { "x-api-key": "garbage", "x-goog-api-key": `sk-${base62(10)}`, authorization: `Bearer ${validKey}` },
  ];
  for (const headers of cases) {
    const r = await call(chat, headers);
    expect({ headers, status: r.status }).not.toEqual({ headers, status: 401 });
    expect(r.status).toBeLessThan(500);
  }
  const byQuery = await call(chat, { authorization: "Basic eDp5" }, `?key=${validKey}`);
  expect(byQuery.status).not.toBe(401);
});

test("bytes fetch will not send (control characters, raw UTF-8, a huge header): never a 500, the server lives on", async () => {
  const port = Number(new URL(app.url).port);
  const values = [
    `Bearer sk-\x01${base62(47)}`,
    `Bearer sk-${base62(47)}\x7f`,
    "Bearer \x00\x00\x00",
    `Bearer ${unknownKey()}\x1b[31m`,
    `Bearer sk-ключ-${base62(40)}`,
    `Bearer 🔑${unknownKey()}`,
    `Bearer ${"x".repeat(200_000)}`,
  ];
  for (const value of values) {
    for (const header of ["authorization", "x-api-key", "x-goog-api-key"]) {
      const head = rawHead("POST", "/v1/chat/completions", {
        [header]: value,
        "content-type": "application/json",
        "content-length": "2",
        connection: "close",
      });
      const reply = await rawRequest(port, { head, body: "{}", waitMs: 5000 });
      const shown = { header, value: JSON.stringify(value.slice(0, 30)), status: reply.status };
      // Bun refuses some header bytes itself (400, 431) or closes; whatever reaches apiyi is a 401
      expect(
        shown.status === "closed" || (typeof shown.status === "number" && shown.status >= 400 && shown.status < 500),
      ).toBe(true);
      if (reply.status === 401) expectSurfaceError("openai", 401, JSON.parse(reply.body), "invalid_api_key");
    }
  }
  expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  expect(app.server.errors()).not.toContain("unexpected error");
  expect(app.server.proc.exitCode).toBeNull();
});
