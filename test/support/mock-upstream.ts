// Test support: a mock upstream LLM server on Bun.serve (127.0.0.1, random port) for the relay tests. One
// server speaks every wire format, routed by path (see test/support/mock/): OpenAI under /v1 (chat,
// completions, embeddings, images, audio, responses, models), Anthropic /v1/messages, Gemini /v1beta/models/…,
// Azure /openai/deployments/…. It records every request, counts clients that went away mid-response, and can
// be switched into a fault mode, answered in each format's own shapes: for all requests (`set`), for one
// request (header `x-mock-mode`), or for one base URL (`urlFor`, one per channel).
import { anthropic } from "./mock/anthropic";
import { azure } from "./mock/azure";
import {
  type Ctx,
  DEFAULTS,
  type Dialect,
  type Life,
  type MockOptions,
  type MockRequest,
  type MockSettings,
  parseModeSpec,
  readBody,
  sleep,
} from "./mock/core";
import { gemini } from "./mock/gemini";
import { isStreamRequest, leakReply } from "./mock/leak";
import { honorLimit } from "./mock/limits";
import { openai } from "./mock/openai";
import { presetError } from "./mock/upstream-errors";

export {
  maskKey,
  type MockMode,
  type MockOptions,
  type MockRequest,
  type MockSettings,
  parseModeSpec,
  splitText,
} from "./mock/core";

/** The wire format a path belongs to (Anthropic's model list is told apart by its anthropic-version header). */
function dialectFor(path: string, req: Request): Dialect {
  if (path === "/v1/messages" || path.startsWith("/v1/messages/")) return anthropic;
  if (path === "/v1/models" && req.headers.has("anthropic-version")) return anthropic;
  if (path.startsWith("/v1beta/")) return gemini;
  if (path.startsWith("/openai/")) return azure;
  return openai;
}

export type MockUpstream = ReturnType<typeof startMockUpstream>;

/** Starts the mock. `url` is the OpenAI base URL (`${origin}/v1`); `urlFor(spec, suffix)` is a base URL
 * whose requests always behave as `spec` (see parseModeSpec), whatever `set` says. */
export function startMockUpstream(opts: MockOptions = {}) {
  const { keys: startKeys, models, ...initial } = opts;
  let keys = startKeys;
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
    const prefixed = /^\/m\/([^/]+)(\/.*)$/.exec(url.pathname);
    const path = prefixed ? prefixed[2] : url.pathname;
    const spec = prefixed?.[1] ?? req.headers.get("x-mock-mode");
    const dialect = dialectFor(path, req);
    const body = await readBody(req);
    const s: MockSettings = honorLimit({ ...settings, ...(spec ? parseModeSpec(spec) : {}) }, body);
    const model = dialect.model?.(path) ?? (typeof body?.model === "string" ? body.model : undefined);
    const rec: MockRequest = {
      method: req.method,
      path,
      query: url.search,
      headers: req.headers.toJSON(),
      body,
      model,
      time: Date.now(),
      mode: s.mode,
      sent: 0,
    };
    requests.push(rec);
    const ctx: Ctx = { s, origin: url.origin, url, body, model, rec, life: life(req), models };
    const res = await respond(req, dialect, ctx);
    if (!ctx.streaming) ctx.life.finish();
    return res;
  }

  async function respond(req: Request, dialect: Dialect, ctx: Ctx): Promise<Response> {
    const { s } = ctx;
    if (s.mode === "slow_first_byte" && s.delayMs > 0) await sleep(s.delayMs);
    const key = dialect.key(req, ctx.url);
    if (s.mode === "unauthorized" || (keys && !keys.includes(key))) return dialect.unauthorized(ctx, key);
    if (s.mode === "status") return dialect.status(ctx);
    if (s.mode === "leak" && !isStreamRequest(ctx)) return leakReply(ctx);
    if (s.mode === "error") return presetError(s.preset);
    if (typeof ctx.body !== "object" || ctx.body === null) return dialect.badRequest(ctx);
    return (await dialect.route(ctx)) ?? dialect.notFound(ctx);
  }

  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: 0, fetch: handle });
  const origin = `http://127.0.0.1:${server.port}`;

  return {
    /** OpenAI base URL, `${origin}/v1` */
    url: `${origin}/v1`,
    /** scheme://host:port: the base URL of the Anthropic, Gemini and Azure SDKs (they add /v1, /v1beta, /openai) */
    origin,
    /** Gemini base URL including its version, `${origin}/v1beta` */
    geminiUrl: `${origin}/v1beta`,
    server,
    requests,
    /** clients that went away before their response finished */
    get aborted() {
      return state.aborted;
    },
    /** a base URL whose requests always behave as `spec`, e.g. "status=429,retryAfter=1"; `suffix` is what
     * follows the origin: "/v1" (OpenAI, default), "" (Anthropic/Gemini/Azure SDK style), "/v1beta" (Gemini) */
    urlFor: (spec: string, suffix = "/v1") => `${origin}/m/${spec}${suffix}`,
    /** changes the settings for every later request (merged into the current ones) */
    set(patch: Partial<MockSettings>) {
      settings = { ...settings, ...patch };
    },
    /** the upstream keys accepted from now on (undefined: any key), e.g. an account's key renewed */
    setKeys(accepted: string[] | undefined) {
      keys = accepted;
    },
    /** back to the start options; forgets recorded requests and the abort count */
    reset() {
      settings = { ...DEFAULTS, ...initial };
      keys = startKeys;
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
