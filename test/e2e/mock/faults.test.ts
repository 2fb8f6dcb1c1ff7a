// The mock's switchable faults in every wire format (OpenAI chat, Responses, Anthropic, Gemini, Azure):
// status errors in each format's shape, bad keys, slow first byte, pacing, cut_after, no_usage, echo,
// client aborts, and urlFor pinning with a path suffix.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { type MockUpstream, startMockUpstream } from "../../support/mock-upstream";
import { postJSON, readSSE } from "../../support/mock/testkit";

const KEY = "sk-fault-matrix-key";
let mock: MockUpstream;
beforeAll(() => void (mock = startMockUpstream({ keys: [KEY] })));
afterAll(() => mock.stop());
beforeEach(() => mock.reset());

type Format = {
  name: string;
  /** the endpoint after the origin (or after a urlFor prefix) */
  path(stream: boolean): string;
  headers: Record<string, string>;
  body(stream: boolean): object;
  /** the answer's text in a non-stream reply */
  text(body: any): string;
  /** does this stream event carry a content delta? */
  isDelta(data: any, name: string | null): boolean;
  /** is this an error body in the format's shape (for `status`)? */
  shaped(body: any, status: number): boolean;
  authStatus: number;
};

const chatDelta = (d: any) => typeof d.choices?.[0]?.delta?.content === "string" && d.choices[0].delta.content !== "";
const openaiShaped = (b: any) => typeof b.error?.message === "string" && "type" in b.error;
const FORMATS: Format[] = [
  {
    name: "openai chat",
    path: () => "/v1/chat/completions",
    headers: { authorization: `Bearer ${KEY}` },
    body: (stream) => ({
      model: "m",
      messages: [],
      stream,
      stream_options: stream ? { include_usage: true } : undefined,
    }),
    text: (b) => b.choices[0].message.content,
    isDelta: chatDelta,
    shaped: openaiShaped,
    authStatus: 401,
  },
  {
    name: "openai responses",
    path: () => "/v1/responses",
    headers: { authorization: `Bearer ${KEY}` },
    body: (stream) => ({ model: "m", input: "hi", stream }),
    text: (b) => b.output[0].content[0].text,
    isDelta: (_d, n) => n === "response.output_text.delta",
    shaped: openaiShaped,
    authStatus: 401,
  },
  {
    name: "anthropic",
    path: () => "/v1/messages",
    headers: { "x-api-key": KEY, "anthropic-version": "2023-06-01" },
    body: (stream) => ({ model: "m", max_tokens: 9, messages: [], stream }),
    text: (b) => b.content[0].text,
    isDelta: (d) => d.type === "content_block_delta",
    shaped: (b) => b.type === "error" && typeof b.error?.type === "string" && typeof b.error?.message === "string",
    authStatus: 401,
  },
  {
    name: "gemini",
    path: (stream) => `/v1beta/models/gemini-2.5-flash:${stream ? "streamGenerateContent?alt=sse" : "generateContent"}`,
    headers: { "x-goog-api-key": KEY },
    body: () => ({ contents: [] }),
    text: (b) => b.candidates[0].content.parts[0].text,
    isDelta: (d) => !d.candidates[0].finishReason,
    shaped: (b, status) => b.error?.code === status && typeof b.error?.status === "string",
    authStatus: 400,
  },
  {
    name: "azure",
    path: () => "/openai/deployments/dep/chat/completions?api-version=2024-10-21",
    headers: { "api-key": KEY },
    body: (stream) => ({ messages: [], stream }),
    text: (b) => b.choices[0].message.content,
    isDelta: chatDelta,
    shaped: (b) => typeof b.error?.message === "string" && "code" in b.error,
    authStatus: 401,
  },
];

const send = (
  f: Format,
  stream: boolean,
  mode?: string,
  headers: Record<string, string> = f.headers,
  signal?: AbortSignal,
) =>
  postJSON(mock.origin + f.path(stream), f.body(stream), mode ? { ...headers, "x-mock-mode": mode } : headers, signal);
/** The stream's events, and the content deltas among them. */
async function stream(f: Format, mode?: string) {
  const r = await readSSE(await send(f, true, mode));
  const data = r.events.map((e) => (e === "[DONE]" ? null : JSON.parse(e)));
  return { ...r, deltas: data.filter((d, i) => d && f.isDelta(d, r.names[i])).length };
}

describe.each(FORMATS.map((f) => [f.name, f] as const))("%s", (_name, f) => {
  test("ok: a non-stream answer and a complete stream of `chunks` deltas", async () => {
    mock.set({ chunks: 4 });
    expect(f.text(await (await send(f, false)).json())).toBe("Hello from the mock upstream!");
    const s = await stream(f);
    expect([s.error, s.deltas]).toEqual([null, 4]);
  });

  test.each([429, 500, 503])("status %d, in the format's error shape", async (status) => {
    const res = await send(f, false, `status=${status},retryAfter=2`);
    expect(res.status).toBe(status);
    expect(f.shaped(await res.json(), status)).toBe(true);
    if (status === 429) expect(res.headers.get("retry-after")).toBe("2");
    expect((await send(f, true, `status=${status}`)).status).toBe(status);
  });

  test("a wrong key and unauthorized mode are refused", async () => {
    const wrong = Object.fromEntries(Object.entries(f.headers).map(([k, v]) => [k, v.replace(KEY, "sk-wrong")]));
    expect((await send(f, false, undefined, wrong)).status).toBe(f.authStatus);
    expect((await send(f, false, "unauthorized")).status).toBe(f.authStatus);
  });

  test("slow_first_byte delays the headers", async () => {
    const t0 = performance.now();
    expect((await send(f, true, "slow_first_byte=150")).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(145);
  });

  test("paced deltas arrive intervalMs apart", async () => {
    mock.set({ chunks: 3, intervalMs: 100 });
    const s = await stream(f);
    expect(s.deltas).toBe(3);
    expect(s.times.at(-1)! - s.times[0]).toBeGreaterThanOrEqual(2 * 100 - 30);
  });

  test("cut_after: N deltas, then a reset without the closing events", async () => {
    const s = await stream(f, "cut_after=2");
    expect(s.error).not.toBeNull();
    expect(s.deltas).toBe(2);
    expect(mock.aborted).toBe(0);
  });

  test("no_usage: no usage object, stream or not", async () => {
    const usage = /"(usage|usageMetadata)":\{/;
    expect(await (await send(f, false, "no_usage")).text()).not.toMatch(usage);
    expect(await (await send(f, false)).text()).toMatch(usage);
    const raw = (await stream(f, "no_usage")).events.join("\n");
    expect(raw).not.toMatch(usage);
  });

  test("echo: the answer is the request received", async () => {
    const got = JSON.parse(f.text(await (await send(f, false, "echo")).json()));
    expect(got.path).toBe(f.path(false).split("?")[0]);
    expect(got.headers["x-mock-mode"]).toBe("echo");
  });

  test("a client aborting a paced stream is counted", async () => {
    mock.set({ chunks: 20, intervalMs: 100 });
    const ac = new AbortController();
    const res = await send(f, true, undefined, f.headers, ac.signal);
    await res.body!.getReader().read();
    ac.abort();
    await mock.waitFor(() => mock.aborted === 1, 1000);
    expect(mock.requests[0].sent).toBeLessThan(10);
  });

  test("urlFor pins a mode for this format's paths", async () => {
    const res = await postJSON(mock.urlFor("status=503", "") + f.path(false), f.body(false), f.headers);
    expect(res.status).toBe(503);
    expect(mock.requests[0]).toMatchObject({ path: f.path(false).split("?")[0], mode: "status" });
  });
});
