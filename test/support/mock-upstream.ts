// Test support: an OpenAI-compatible mock upstream on Bun.serve (127.0.0.1, random port) for the relay
// tests. It serves chat/completions, completions, embeddings, models and images, records every request,
// counts clients that went away mid-response, and can be switched into a fault mode: for all requests
// (`set`), for one request (header `x-mock-mode`), or for one base URL (`urlFor`, one per channel).

export type MockMode = "ok" | "status" | "unauthorized" | "slow_first_byte" | "cut_after" | "no_usage" | "echo";

export type MockSettings = {
  mode: MockMode;
  /** reply text (chat content / completion text); a stream splits it into `chunks` pieces (keep it that long) */
  reply: string;
  chunks: number;
  /** pause before each content chunk after the first, ms */
  intervalMs: number;
  /** status code for mode "status" (429, 500, 502, 503, 400…) */
  status: number;
  /** `retry-after` header (seconds) sent with a 429 */
  retryAfter?: number;
  /** delay before the response headers, ms, for mode "slow_first_byte" */
  delayMs: number;
  /** content chunks sent before the connection is destroyed, for mode "cut_after" */
  cutAfter: number;
  promptTokens: number;
  completionTokens: number;
  /** reported as usage.prompt_tokens_details.cached_tokens when set */
  cachedTokens?: number;
};

export type MockOptions = Partial<MockSettings> & {
  /** accepted upstream keys (`Authorization: Bearer <key>`); any key when absent */
  keys?: string[];
  /** ids listed by GET /v1/models */
  models?: string[];
};

/** One received request; `sent` counts the SSE events written to it so far. */
export type MockRequest = { method: string; path: string; headers: Record<string, string>; body: any; time: number; mode: MockMode; sent: number };

const DEFAULTS: MockSettings = {
  mode: "ok",
  reply: "Hello from the mock upstream!",
  chunks: 5,
  intervalMs: 0,
  status: 500,
  delayMs: 0,
  cutAfter: 2,
  promptTokens: 10,
  completionTokens: 5,
};
const DEFAULT_MODELS = ["gpt-4o-mini", "gpt-4o", "text-embedding-3-small", "dall-e-3"];
const ERRORS: Record<number, [string, string, string | null]> = {
  429: ["Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1.", "requests", "rate_limit_exceeded"],
  500: ["The server had an error while processing your request. Sorry about that!", "server_error", null],
  502: ["Bad gateway.", "server_error", null],
  503: ["The engine is currently overloaded, please try again later.", "server_error", null],
};

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
const now = () => Math.floor(Date.now() / 1000);
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => Response.json(body, { status, headers });
const sse = (obj: unknown) => `data: ${typeof obj === "string" ? obj : JSON.stringify(obj)}\n\n`;
/** An upstream's own way of showing a key: its start and end, like "sk-up...xyz". */
export const maskKey = (key: string) => (key.length > 8 ? `${key.slice(0, 5)}...${key.slice(-3)}` : "***");

/** `reply` cut into exactly n pieces (by code point). */
export function splitText(text: string, n: number): string[] {
  const chars = Array.from(text);
  const count = Math.max(1, n);
  return Array.from({ length: count }, (_, i) => chars.slice(Math.floor((i * chars.length) / count), Math.floor(((i + 1) * chars.length) / count)).join(""));
}

/** Parses a per-request mode spec: "mode[=n][,key=value…]", e.g. "status=429,retryAfter=2", "cut_after=1". */
export function parseModeSpec(spec: string): Partial<MockSettings> {
  const [head, ...rest] = decodeURIComponent(spec).split(",");
  const [mode, arg] = head.trim().split("=");
  const out: Record<string, unknown> = { mode };
  const argKey = ({ status: "status", slow_first_byte: "delayMs", cut_after: "cutAfter" } as Record<string, string>)[mode];
  if (argKey && arg !== undefined) out[argKey] = Number(arg);
  for (const kv of rest) {
    const [k, v] = kv.trim().split("=");
    out[k] = v !== undefined && v !== "" && !Number.isNaN(Number(v)) ? Number(v) : v;
  }
  return out as Partial<MockSettings>;
}

/** The JSON body ({} when empty), or the raw text when it is not JSON. */
function parseBody(text: string): any {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return text;
  }
}

/** Per-request view of the settings, the origin (for realistic error text) and disconnect tracking. */
type Ctx = { s: MockSettings; origin: string; body: any; rec: MockRequest; life: Life; streaming?: boolean };
type Life = { finish(): void; gone(): boolean; abort(): void };

function openaiError(status: number, message: string, type: string, code: string | null, param: string | null = null, headers = {}) {
  return json({ error: { message, type, param, code } }, status, headers);
}

function unauthorized(key: string, origin: string) {
  const message = `Incorrect API key provided: ${maskKey(key)}. You can find your API key at ${origin}/account/api-keys.`;
  return openaiError(401, message, "invalid_request_error", "invalid_api_key");
}

function statusError({ s, body }: Ctx) {
  if (s.status === 400) {
    return openaiError(400, `Invalid value for 'temperature': expected a number between 0 and 2 (model ${body?.model}).`, "invalid_request_error", "invalid_value", "temperature");
  }
  const [message, type, code] = ERRORS[s.status] ?? [`Upstream error ${s.status}.`, "server_error", null];
  const headers: Record<string, string> = s.status === 429 && s.retryAfter !== undefined ? { "retry-after": String(s.retryAfter) } : {};
  return openaiError(s.status, message, type, code, null, headers);
}

function usage(s: MockSettings) {
  const u: Record<string, unknown> = { prompt_tokens: s.promptTokens, completion_tokens: s.completionTokens, total_tokens: s.promptTokens + s.completionTokens };
  if (s.cachedTokens !== undefined) u.prompt_tokens_details = { cached_tokens: s.cachedTokens };
  return u;
}

/** The text to answer with: the reply, or in echo mode what was received. */
const replyText = ({ s, rec }: Ctx) => (s.mode === "echo" ? JSON.stringify({ method: rec.method, path: rec.path, headers: rec.headers, body: rec.body }) : s.reply);
const withUsage = (ctx: Ctx, obj: Record<string, unknown>) => (ctx.s.mode === "no_usage" ? obj : { ...obj, usage: usage(ctx.s) });

/** SSE events, produced one by one with pacing; yields CUT where the connection must be destroyed. */
const CUT = Symbol("cut");
type Delta = { role?: string; content?: string };
type ChunkOf = (delta: Delta, finish: string | null) => Record<string, unknown>;
async function* sseEvents(ctx: Ctx, chunk: ChunkOf, role: Delta | null): AsyncGenerator<string | typeof CUT, void> {
  const { s, body } = ctx;
  if (role) yield sse({ ...chunk(role, null), usage: null });
  const pieces = splitText(replyText(ctx), s.chunks);
  for (let i = 0; i < pieces.length; i++) {
    if (s.mode === "cut_after" && i >= s.cutAfter) return void (yield* cut(s));
    if (i > 0 && s.intervalMs > 0) await sleep(s.intervalMs);
    if (ctx.life.gone()) return;
    yield sse({ ...chunk({ content: pieces[i] }, null), usage: null });
  }
  if (s.mode === "cut_after") return void (yield* cut(s));
  yield sse({ ...chunk({}, "stop"), usage: null });
  if (body.stream_options?.include_usage === true && s.mode !== "no_usage") yield sse({ ...chunk({}, null), choices: [], usage: usage(s) });
  yield sse("[DONE]");
}

/** The cut comes when the next chunk would have: at least a few ms later, so the chunks before it are flushed. */
async function* cut(s: MockSettings): AsyncGenerator<typeof CUT> {
  await sleep(Math.max(s.intervalMs, 10));
  yield CUT;
}

/** Streams the events as they are produced; a CUT errors the stream so Bun resets the connection. */
function sseResponse(ctx: Ctx, events: AsyncGenerator<string | typeof CUT>) {
  ctx.streaming = true;
  const enc = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    // pull runs again only once Bun has taken the previous chunk; it awaits the pacing, nothing is buffered
    async pull(controller) {
      const { value, done } = await events.next();
      if (ctx.life.gone()) return void events.return(undefined);
      if (done) return ctx.life.finish(), controller.close();
      if (value === CUT) {
        ctx.life.finish();
        void events.return(undefined);
        return controller.error(undefined); // an undefined reason: Bun resets the connection without logging
      }
      controller.enqueue(enc.encode(value));
      ctx.rec.sent++;
    },
    cancel() {
      ctx.life.abort();
      void events.return(undefined);
    },
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
}

function chatCompletions(ctx: Ctx) {
  const { body } = ctx;
  const id = `chatcmpl-mock-${crypto.randomUUID().slice(0, 8)}`;
  const base = { id, created: now(), model: body.model, system_fingerprint: null };
  if (body.stream === true) {
    const chunk: ChunkOf = (delta, finish) => ({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
    return sseResponse(ctx, sseEvents(ctx, chunk, { role: "assistant", content: "" }));
  }
  const message = { role: "assistant", content: replyText(ctx), refusal: null };
  return json(withUsage(ctx, { ...base, object: "chat.completion", choices: [{ index: 0, message, logprobs: null, finish_reason: "stop" }] }));
}

function completions(ctx: Ctx) {
  const { body } = ctx;
  const base = { id: `cmpl-mock-${crypto.randomUUID().slice(0, 8)}`, object: "text_completion", created: now(), model: body.model };
  const choice = (text: string, finish: string | null) => ({ text, index: 0, logprobs: null, finish_reason: finish });
  if (body.stream === true) {
    const chunk: ChunkOf = (delta, finish) => ({ ...base, choices: [choice(delta.content ?? "", finish)] });
    return sseResponse(ctx, sseEvents(ctx, chunk, null));
  }
  return json(withUsage(ctx, { ...base, choices: [choice(replyText(ctx), "stop")] }));
}

/** A few deterministic floats per input; base64 (little-endian float32) when asked, as the SDK does. */
function embeddings(ctx: Ctx) {
  const { body } = ctx;
  const input = body.input;
  const inputs: unknown[] = Array.isArray(input) && input.length > 0 && typeof input[0] !== "number" ? input : [input];
  const dims = typeof body.dimensions === "number" ? body.dimensions : 4;
  const data = inputs.map((item, index) => {
    const seed = JSON.stringify(item ?? "").length;
    const vec = Array.from({ length: dims }, (_, j) => Math.round(Math.sin(seed + j) * 1e4) / 1e4);
    const embedding = body.encoding_format === "base64" ? Buffer.from(new Float32Array(vec).buffer).toString("base64") : vec;
    return { object: "embedding", index, embedding };
  });
  const u = { prompt_tokens: ctx.s.promptTokens, total_tokens: ctx.s.promptTokens };
  return json(ctx.s.mode === "no_usage" ? { object: "list", data, model: body.model } : { object: "list", data, model: body.model, usage: u });
}

function images({ body, origin }: Ctx) {
  const n = typeof body.n === "number" ? body.n : 1;
  return json({ created: now(), data: Array.from({ length: n }, (_, i) => ({ url: `${origin}/files/image-${i}.png`, revised_prompt: body.prompt })) });
}

const models = (ids: string[]) => json({ object: "list", data: ids.map((id) => ({ id, object: "model", created: 1700000000, owned_by: "mock" })) });

export type MockUpstream = Awaited<ReturnType<typeof startMockUpstream>>;

/** Starts the mock. `url` is the base URL with `/v1` (a channel's base_url); `urlFor(spec)` is one that
 * always behaves as `spec` (see parseModeSpec), whatever `set` says. */
export function startMockUpstream(opts: MockOptions = {}) {
  const { keys, models: modelIds = DEFAULT_MODELS, ...initial } = opts;
  let settings: MockSettings = { ...DEFAULTS, ...initial };
  const requests: MockRequest[] = [];
  const state = { aborted: 0 };

  /** Abort accounting for one request: counted once, and only before its response finished. */
  function life(req: Request): Life {
    let finished = false;
    let counted = false;
    const abort = () => {
      if (finished || counted) return;
      counted = true;
      state.aborted++;
    };
    req.signal.addEventListener("abort", abort);
    return { finish: () => void (finished = true), gone: () => counted || req.signal.aborted, abort };
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const origin = url.origin;
    const prefixed = /^\/m\/([^/]+)(\/.*)$/.exec(url.pathname);
    const path = prefixed ? prefixed[2] : url.pathname;
    const spec = prefixed?.[1] ?? req.headers.get("x-mock-mode");
    const s: MockSettings = { ...settings, ...(spec ? parseModeSpec(spec) : {}) };
    const body = parseBody(req.method === "GET" || req.method === "HEAD" ? "" : await req.text());
    const rec: MockRequest = { method: req.method, path, headers: req.headers.toJSON(), body, time: Date.now(), mode: s.mode, sent: 0 };
    requests.push(rec);
    const ctx: Ctx = { s, origin, body, rec, life: life(req) };
    const res = await respond(req, ctx);
    if (!ctx.streaming) ctx.life.finish();
    return res;
  }

  async function respond(req: Request, ctx: Ctx): Promise<Response> {
    const { s, rec } = ctx;
    if (s.mode === "slow_first_byte" && s.delayMs > 0) await sleep(s.delayMs);
    const key = (req.headers.get("authorization") ?? "").replace(/^Bearer\s+/i, "");
    if (s.mode === "unauthorized" || (keys && !keys.includes(key))) return unauthorized(key, ctx.origin);
    if (s.mode === "status") return statusError(ctx);
    if (typeof ctx.body !== "object" || ctx.body === null) return openaiError(400, "We could not parse the JSON body of your request.", "invalid_request_error", null);
    const route = `${rec.method} ${rec.path}`;
    if (route === "POST /v1/chat/completions") return chatCompletions(ctx);
    if (route === "POST /v1/completions") return completions(ctx);
    if (route === "POST /v1/embeddings") return embeddings(ctx);
    if (route === "POST /v1/images/generations") return images(ctx);
    if (route === "GET /v1/models") return models(modelIds);
    return openaiError(404, `Invalid URL (${rec.method} ${rec.path})`, "invalid_request_error", null);
  }

  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: 0, fetch: handle });
  const origin = `http://127.0.0.1:${server.port}`;

  return {
    url: `${origin}/v1`,
    origin,
    server,
    requests,
    /** clients that went away before their response finished */
    get aborted() {
      return state.aborted;
    },
    /** a base URL (with /v1) whose requests always behave as `spec`, e.g. "status=429,retryAfter=1" */
    urlFor: (spec: string) => `${origin}/m/${spec}/v1`,
    /** changes the settings for every later request (merged into the current ones) */
    set(patch: Partial<MockSettings>) {
      settings = { ...settings, ...patch };
    },
    /** back to the start options; forgets recorded requests and the abort count */
    reset() {
      settings = { ...DEFAULTS, ...initial };
      requests.length = 0;
      state.aborted = 0;
    },
    /** resolves once `predicate()` holds (polled every 10 ms), rejects after `timeoutMs` */
    async waitFor(predicate: () => boolean, timeoutMs = 1000) {
      const until = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > until) throw new Error(`mock upstream: condition not met within ${timeoutMs} ms`);
        await sleep(10);
      }
    },
    stop: () => server.stop(true),
  };
}
