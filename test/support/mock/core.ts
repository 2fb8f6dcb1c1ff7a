// Mock upstream, shared core: the settings and their mode-spec syntax, the per-request context every
// wire format answers from, the "dialect" a format plugs into the router with, and small helpers
// (ids, key masking, what to answer with: text, reasoning, a tool call).

export type MockMode =
  | "ok"
  | "status"
  | "unauthorized"
  | "slow_first_byte"
  | "cut_after"
  | "no_usage"
  | "echo"
  | "leak"
  | "error";

export type MockSettings = {
  mode: MockMode;
  /** reply text (chat content / completion text); a stream splits it into `chunks` pieces (keep it that long) */
  reply: string;
  chunks: number;
  /** pause before each content chunk after the first, ms */
  intervalMs: number;
  /** status code for mode "status" (429, 500, 502, 503, 529, 400…) */
  status: number;
  /** mode "error": a real upstream error reply by name (test/support/mock/upstream-errors.ts) */
  preset?: string;
  /** `retry-after` header (seconds) sent with a 429 */
  retryAfter?: number;
  /** delay before the response headers, ms, for mode "slow_first_byte" */
  delayMs: number;
  /** content chunks (text, reasoning or tool-argument deltas) sent before the connection is destroyed, for mode
   * "cut_after", or before the error events of mode "leak" (see mock/leak.ts) */
  cutAfter: number;
  /** the whole prompt, cache included (Anthropic's input_tokens is this minus both cache counts) */
  promptTokens: number;
  /** the whole output, reasoning included (Gemini's candidatesTokenCount is this minus reasoningTokens) */
  completionTokens: number;
  /** cache reads: OpenAI cached_tokens (only when set), Anthropic cache_read_input_tokens, Gemini cachedContentTokenCount (only when set) */
  cachedTokens?: number;
  /** Anthropic cache_creation_input_tokens (0 when unset) */
  cacheWriteTokens?: number;
  /** reasoning part of completionTokens: OpenAI reasoning_tokens, Gemini thoughtsTokenCount (only when set) */
  reasoningTokens?: number;
  /** answer with a call of this tool instead of text, in every format */
  tool?: { name: string; arguments: Record<string, unknown> };
  /** reasoning emitted before the answer, in every format */
  reasoning?: string;
  /** report at most the request's output limit as completion tokens, as real upstreams do (mock/limits.ts) */
  honorLimit?: number;
  /** 1: chat calls to OpenAI's reasoning models refuse max_tokens and too small a max_completion_tokens, as
   * OpenAI does (mock/reasoning-models.ts) */
  reasoningModels?: number;
  /** the account balance the balance APIs report (mock/balances.ts; default 42.5) */
  balance?: number;
};

export type MockOptions = Partial<MockSettings> & {
  /** accepted upstream keys (Bearer, x-api-key, x-goog-api-key / ?key=, api-key); any key when absent */
  keys?: string[];
  /** ids listed by GET /v1/models (and Anthropic's and Gemini's model lists) */
  models?: string[];
};

/** One received request; `sent` counts the SSE events written to it so far. `model` is the body's, or the
 * one named by the URL (Gemini's model, Azure's deployment); `query` is the search string ("" when none).
 * A multipart body is recorded as an object: fields as strings, files as {name, size, type}. */
export type MockRequest = {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: any;
  model?: string;
  time: number;
  mode: MockMode;
  sent: number;
};

export const DEFAULTS: MockSettings = {
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

/** Abort accounting for one request. */
export type Life = { finish(): void; gone(): boolean; abort(): void };

/** Per-request view: settings, origin (for realistic error text), body, record, disconnect tracking. */
export type Ctx = {
  s: MockSettings;
  origin: string;
  url: URL;
  body: any;
  /** the model to name in the answer (see MockRequest.model) */
  model?: string;
  rec: MockRequest;
  life: Life;
  models?: string[];
  streaming?: boolean;
};

/** A wire format: how it carries the key, shapes its errors, and routes its paths (null: not mine). */
export type Dialect = {
  key(req: Request, url: URL): string;
  unauthorized(ctx: Ctx, key: string): Response;
  status(ctx: Ctx): Response;
  /** the body could not be parsed */
  badRequest(ctx: Ctx): Response;
  notFound(ctx: Ctx): Response;
  route(ctx: Ctx): Response | null | Promise<Response | null>;
  /** the model named by the path, if any */
  model?(path: string): string | undefined;
};

export const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
export const now = () => Math.floor(Date.now() / 1000);
export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers });
/** A random id such as "msg_01a2b3c4d5e6". */
export const rid = (prefix: string) => `${prefix}${crypto.randomUUID().replace(/-/g, "").slice(0, 24)}`;
export const bearer = (req: Request) => (req.headers.get("authorization") ?? "").replace(/^Bearer\s+/i, "");
/** `retry-after` for a 429 when configured. */
export const retryHeaders = (s: MockSettings): Record<string, string> =>
  s.status === 429 && s.retryAfter !== undefined ? { "retry-after": String(s.retryAfter) } : {};

/** An upstream's own way of showing a key: its start and end, like "sk-up...xyz". */
export const maskKey = (key: string) => (key.length > 8 ? `${key.slice(0, 5)}...${key.slice(-3)}` : "***");

/** `reply` cut into exactly n pieces (by code point). */
export function splitText(text: string, n: number): string[] {
  const chars = Array.from(text);
  const count = Math.max(1, n);
  return Array.from({ length: count }, (_, i) =>
    chars.slice(Math.floor((i * chars.length) / count), Math.floor(((i + 1) * chars.length) / count)).join(""),
  );
}

/** Parses a per-request mode spec: "mode[=n][,key=value…]", e.g. "status=429,retryAfter=2", "cut_after=1". */
export function parseModeSpec(spec: string): Partial<MockSettings> {
  const [head, ...rest] = decodeURIComponent(spec).split(",");
  const [mode, arg] = head.trim().split("=");
  const out: Record<string, unknown> = { mode };
  const argKey = (
    { status: "status", slow_first_byte: "delayMs", cut_after: "cutAfter", leak: "cutAfter" } as Record<string, string>
  )[mode];
  if (argKey && arg !== undefined) out[argKey] = Number(arg);
  for (const kv of rest) {
    const [k, v] = kv.trim().split("=");
    out[k] = v !== undefined && v !== "" && !Number.isNaN(Number(v)) ? Number(v) : v;
  }
  return out as Partial<MockSettings>;
}

/** The request body: JSON ({} when empty), multipart as an object, else the raw text. */
export async function readBody(req: Request): Promise<any> {
  if (req.method === "GET" || req.method === "HEAD") return {};
  if ((req.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const out: Record<string, unknown> = {};
    const form = await req.formData().catch(() => null);
    if (!form) return "malformed multipart body";
    form.forEach((v, k) => {
      const item = typeof v === "string" ? v : { name: v.name, size: v.size, type: v.type };
      out[k] = k in out ? [out[k], item].flat() : item;
    });
    return out;
  }
  const text = await req.text();
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return text;
  }
}

/** What to answer with. Echo mode answers with what was received; otherwise a tool call when `tool` is
 * set, else the reply; reasoning (when set) comes first. Pieces are the stream's content deltas. */
export type Answer = {
  reasoning: string | null;
  reasoningPieces: string[];
  text: string;
  pieces: string[];
  tool: { id: string; name: string; args: Record<string, unknown>; json: string; fragments: string[] } | null;
};

export function answer(ctx: Ctx): Answer {
  const { s, rec } = ctx;
  const echo = s.mode === "echo";
  const text = echo
    ? JSON.stringify({ method: rec.method, path: rec.path, query: rec.query, headers: rec.headers, body: rec.body })
    : s.reply;
  const reasoning = !echo && s.reasoning ? s.reasoning : null;
  let tool: Answer["tool"] = null;
  if (!echo && s.tool) {
    const argsJson = JSON.stringify(s.tool.arguments);
    const n = Math.max(2, Math.min(s.chunks, Array.from(argsJson).length));
    tool = {
      id: rid("call_"),
      name: s.tool.name,
      args: s.tool.arguments,
      json: argsJson,
      fragments: splitText(argsJson, n),
    };
  }
  return {
    reasoning,
    reasoningPieces: reasoning ? splitText(reasoning, s.chunks) : [],
    text,
    pieces: splitText(text, s.chunks),
    tool,
  };
}

/** A thinking signature, as Anthropic sends one after the thinking text. */
export const signature = (text: string) => Buffer.from(`mock-signature:${text.length}`).toString("base64");
