// Upstream redirects (issue 10, item 2). An upstream (or anything in front of it) that answers 301, 302,
// 307 or 308 pointing at another server: nothing reaches that server (no prompt, no x-api-key,
// x-goog-api-key, api-key or Authorization), the client gets upstream_error in its surface's shape, the
// attempts log and the channel Test name the refused redirect, and count_tokens falls back to a
// local count. Every upstream fetch goes through the egress guard with redirects off; the guard's
// opt-in following (for later work: GET only, each hop checked, credentials dropped) is checked too.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { EgressError, guardedFetch } from "../../../src/net/egress";
import { configureResolver } from "../../../src/net/resolve";
import { gatewayAdmin, type Gateway } from "../../support/gateway";
import { expectReply } from "../../support/expect";
import { useServer } from "../../support/server";

type Landed = { method: string; path: string; headers: Record<string, string>; body: string };
/** the server redirects point at: records whatever arrives */
const landed: Landed[] = [];
const recorder = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch: async (req) => {
    landed.push({
      method: req.method,
      path: new URL(req.url).pathname,
      headers: req.headers.toJSON(),
      body: await req.text(),
    });
    return Response.json({
      id: "chatcmpl-x",
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: "internal secret" }, finish_reason: "stop" }],
    });
  },
});
const target = `http://127.0.0.1:${recorder.port}`;
/** an "upstream" answering /s/<status>/… with that redirect to the recorder, same path */
const redirector = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch: (req) => {
    const m = /^\/s\/(\d{3})(\/.*)$/.exec(new URL(req.url).pathname);
    return new Response("moved", {
      status: Number(m?.[1] ?? 302),
      headers: { location: `${target}/landed${m?.[2] ?? "/"}` },
    });
  },
});
const via = (status: number, path = "") => `http://127.0.0.1:${redirector.port}/s/${status}${path}`;

const app = useServer();
let gw: Gateway;
const channels: Record<string, { id: number; status: number }> = {};
beforeAll(async () => {
  gw = await gatewayAdmin(app.url);
  const add = async (name: string, status: number, body: Record<string, unknown>) => {
    const c = await gw.addChannel({
      name,
      models: `redir-${name}`,
      ...body,
      base_url: via(status, String(body.base_url ?? "")),
    });
    channels[name] = { id: c.id, status };
  };
  await add("openai", 302, { base_url: "/v1" });
  await add("anthropic", 307, { type: "anthropic", base_url: "/v1" });
  await add("gemini", 308, { type: "gemini", base_url: "/v1beta" });
  await add("azure", 301, { type: "azure", api_version: "2024-10-21" });
});
afterAll(() => {
  recorder.stop(true);
  redirector.stop(true);
});

/** One call per surface, with the gateway key in that surface's own header. */
function callSurface(name: string, stream = false): Promise<Response> {
  const model = `redir-${name}`;
  const json = { "content-type": "application/json" };
  if (name === "anthropic") {
    return fetch(`${app.url}/v1/messages`, {
      method: "POST",
      headers: { ...json, "x-api-key": gw.key, "anthropic-version": "2023-06-01" },
      body: JSON.stringify({
        model,
        max_tokens: 16,
        stream,
        messages: [{ role: "user", content: "the secret prompt" }],
      }),
    });
  }
  if (name === "gemini") {
    return fetch(`${app.url}/v1beta/models/${model}:${stream ? "streamGenerateContent?alt=sse" : "generateContent"}`, {
      method: "POST",
      headers: { ...json, "x-goog-api-key": gw.key },
      body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "the secret prompt" }] }] }),
    });
  }
  return fetch(`${app.url}/v1/chat/completions`, {
    method: "POST",
    headers: { ...json, authorization: `Bearer ${gw.key}` },
    body: JSON.stringify({ model, stream, messages: [{ role: "user", content: "the secret prompt" }] }),
  });
}

/** the surface's error code or type: OpenAI's code, Anthropic's error type, Google's status */
const errorOf = (name: string, body: any) =>
  name === "anthropic" ? body.error.type : name === "gemini" ? body.error.status : body.error.code;
const EXPECTED: Record<string, string> = {
  openai: "upstream_error",
  azure: "upstream_error",
  anthropic: "api_error",
  gemini: "UNAVAILABLE",
};

describe("a relayed call never follows a redirect", () => {
  for (const name of ["openai", "anthropic", "gemini", "azure"]) {
    for (const stream of [false, true]) {
      test(`${name}${stream ? " (stream)" : ""}: the upstream's redirect is a failed attempt; the client gets upstream_error; nothing reaches the target`, async () => {
        landed.length = 0;
        const res = await callSurface(name, stream);
        const text = await res.text();
        expect({ status: res.status, error: errorOf(name, JSON.parse(text)) }).toEqual({
          status: 502,
          error: EXPECTED[name],
        });
        expect(text).not.toContain("internal secret");
        expect(text).not.toContain(String(recorder.port));
        const row = await gw.logRow(res.headers.get("x-request-id")!);
        const { id, status } = channels[name];
        expect(row.attempts).toEqual([
          {
            channel_id: id,
            status,
            ms: expect.any(Number),
            error: "redirect",
            cause: expect.stringContaining(`redirect to ${target} refused`),
          },
        ]);
        expect(landed).toEqual([]);
      });
    }
  }
});

test("the channel Test never follows a redirect and says where it pointed", async () => {
  landed.length = 0;
  for (const [name, { id, status }] of Object.entries(channels)) {
    const r = expectReply(await gw.admin.post(`/api/channel/${id}/test`, {}), 200);
    expect({ name, ok: r.ok, status: r.status, failure: r.failure }).toEqual({
      name,
      ok: false,
      status,
      failure: "redirect",
    });
    expect(r.message).toStartWith(`redirect to ${target} refused`);
  }
  expect(landed).toEqual([]);
});

test("count_tokens never follows a redirect: the count is made locally", async () => {
  landed.length = 0;
  const res = await fetch(`${app.url}/v1/messages/count_tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": gw.key, "anthropic-version": "2023-06-01" },
    body: JSON.stringify({ model: "redir-anthropic", messages: [{ role: "user", content: "the secret prompt" }] }),
  });
  expect(res.status).toBe(200);
  expect((await res.json()).input_tokens).toBeGreaterThan(0);
  expect(landed).toEqual([]);
});

describe("the guard's opt-in redirects (for fetches that carry neither a key nor a prompt)", () => {
  afterAll(() => configureResolver({}));
  const credentials = {
    authorization: "Bearer sk-secret",
    "x-api-key": "sk-ant-secret",
    "x-goog-api-key": "AIza-secret",
    "api-key": "azure-secret",
    cookie: "s=1",
  };

  test("a GET follows up to maxRedirects, each hop through the guard, without credential headers", async () => {
    landed.length = 0;
    const r = await guardedFetch(
      via(302, "/file.bin"),
      { headers: { ...credentials, accept: "application/octet-stream" } },
      { maxRedirects: 2 },
    );
    expect(r.status).toBe(200);
    expect(landed).toHaveLength(1);
    expect(landed[0].path).toBe("/landed/file.bin");
    expect(landed[0].headers.accept).toBe("application/octet-stream");
    for (const h of Object.keys(credentials)) expect(landed[0].headers[h]).toBeUndefined();
  });

  test("by default, for a POST, past maxRedirects, or to a refused address: refused, nothing sent there", async () => {
    landed.length = 0;
    const refused = async (p: Promise<Response>) => {
      const e = await p.catch((x) => x);
      expect(e).toBeInstanceOf(EgressError);
      return e as EgressError;
    };
    expect((await refused(guardedFetch(via(301, "/a")))).kind).toBe("redirect");
    expect(
      (
        await refused(
          guardedFetch(via(307, "/a"), { method: "POST", body: "prompt", headers: credentials }, { maxRedirects: 5 }),
        )
      ).kind,
    ).toBe("redirect");
    const toMeta = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: () => new Response("", { status: 302, headers: { location: "http://169.254.169.254/latest/meta-data/" } }),
    });
    try {
      const e = await refused(guardedFetch(`http://127.0.0.1:${toMeta.port}/x`, {}, { maxRedirects: 3 }));
      expect(e.kind).toBe("refused");
      expect(e.message).toContain("169.254.169.254");
    } finally {
      toMeta.stop(true);
    }
    expect(landed).toEqual([]);
  });
});
