// Test support: a mock upstream for asynchronous video generation on Bun.serve (127.0.0.1, random port), the
// only fake behind the gateway's video tests. One server speaks three protocols, routed by path (see
// test/support/mock/video-*.ts): OpenAI Videos under /v1/videos, Gemini Veo operations under /v1beta,
// DashScope Wan tasks under /api/v1. Jobs advance one step per status poll (not wall time). Finished videos
// are fetched from a signed "storage host" (http://localhost:port, the same server under another host name)
// that wants no key and counts the keys that reach it (keyLeaks). Faults switch for all requests (`set`) or
// for one base URL (`urlFor(spec, protocol)`, a /m/<spec>/ prefix).
import {
  type MockVideoOptions,
  type MockVideoRequest,
  parseVideoSpec,
  readVideoBody,
  sleep,
  summarize,
  VIDEO_DEFAULTS,
  type VideoCtx,
  type VideoHandler,
  type VideoProtocol,
  type VideoSettings,
} from "./mock/video-core";
import { dashscopeVideo } from "./mock/video-dashscope";
import { geminiVideo } from "./mock/video-gemini";
import { createJobStore, signature, videoBytes } from "./mock/video-jobs";
import { openaiVideo } from "./mock/video-openai";

export type {
  MockVideoOptions,
  MockVideoRequest,
  VideoJob,
  VideoProtocol,
  VideoSettings,
  VideoStatus,
} from "./mock/video-core";
export { FAIL_MESSAGE, parseVideoSpec } from "./mock/video-core";
export { spritesheetBytes, thumbnailBytes, videoBytes } from "./mock/video-jobs";

const HANDLERS: VideoHandler[] = [openaiVideo, geminiVideo, dashscopeVideo];
const STORAGE = /^\/(storage|oss)\/([^/]+)\.mp4$/;
const KEY_HEADERS = ["authorization", "x-goog-api-key", "x-api-key", "api-key"];

export type MockVideo = ReturnType<typeof startMockVideo>;

export function startMockVideo(opts: MockVideoOptions = {}) {
  const { keys: startKeys, ...initial } = opts;
  let keys = startKeys;
  let settings: VideoSettings = { ...VIDEO_DEFAULTS, ...initial };
  const requests: MockVideoRequest[] = [];
  const jobs = createJobStore();
  const state = { leaks: 0 };

  function record(
    req: Request,
    url: URL,
    path: string,
    body: unknown,
    protocol: MockVideoRequest["protocol"],
    tag: string,
  ) {
    const rec: MockVideoRequest = {
      method: req.method,
      path,
      query: url.search,
      host: url.host,
      headers: req.headers.toJSON(),
      body: summarize(body),
      protocol,
      tag,
      time: Date.now(),
    };
    requests.push(rec);
  }

  /** The signed download host: no key wanted; any key that arrives is a leak. */
  function storage(req: Request, url: URL, m: RegExpExecArray, tag: string): Response {
    record(req, url, url.pathname, {}, "storage", tag);
    if (KEY_HEADERS.some((h) => req.headers.get(h)) || url.searchParams.has("key")) state.leaks++;
    const [, kind, id] = m;
    const sig = url.searchParams.get(kind === "oss" ? "Signature" : "sig");
    if (sig !== signature(id)) return new Response("AccessDenied: signature mismatch", { status: 403 });
    const job = jobs.list.find((j) => j.id === id && !j.deleted && j.status === "completed");
    if (!job) return new Response("NoSuchKey: the specified key does not exist.", { status: 404 });
    job.downloads++;
    return new Response(videoBytes(id), { headers: { "content-type": "video/mp4" } });
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const prefixed = /^\/m\/([^/]+)(\/.*)$/.exec(url.pathname);
    const path = prefixed ? prefixed[2] : url.pathname;
    const spec = prefixed ? parseVideoSpec(prefixed[1]) : {};
    const tag = prefixed ? String(spec.tag ?? decodeURIComponent(prefixed[1])) : "";
    const stored = STORAGE.exec(path);
    if (stored) return storage(req, url, stored, tag);
    const h = HANDLERS.find((x) => x.owns(path));
    const body = await readVideoBody(req);
    if (!h) {
      record(req, url, path, body, "none", tag);
      return new Response(`mock video: nothing at ${req.method} ${path}`, { status: 404 });
    }
    record(req, url, path, body, h.protocol, tag);
    const ctx: VideoCtx = {
      s: { ...settings, ...spec },
      req,
      url,
      path,
      body,
      key: h.key(req, url),
      tag,
      prefix: prefixed ? `/m/${prefixed[1]}` : "",
      origin: url.origin,
      storageOrigin: `http://localhost:${server.port}`,
      jobs,
    };
    if (!ctx.key || ctx.s.unauthorized || (keys && !keys.includes(ctx.key))) return h.unauthorized(ctx, !ctx.key);
    return (await h.route(ctx)) ?? h.notFound(ctx);
  }

  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: 0, fetch: handle });
  const origin = `http://127.0.0.1:${server.port}`;
  const SUFFIX: Record<VideoProtocol, string> = { openai: "/v1", gemini: "/v1beta", dashscope: "" };

  return {
    /** scheme://host:port of the API host (127.0.0.1) */
    origin,
    /** OpenAI base URL, `${origin}/v1` */
    openaiUrl: `${origin}/v1`,
    /** Gemini base URL, `${origin}/v1beta` */
    geminiUrl: `${origin}/v1beta`,
    /** DashScope base URL (paths start /api/v1/…), the origin itself */
    dashscopeUrl: origin,
    /** the storage host's origin (http://localhost:port), where finished videos are fetched without a key */
    storageOrigin: `http://localhost:${server.port}`,
    server,
    requests,
    /** every job so far, in submit order (live objects) */
    jobs: jobs.list,
    /** the job with this id (any protocol, deleted ones included) */
    job: (id: string) => jobs.list.find((j) => j.id === id),
    /** a base URL whose requests always behave as `spec` (see parseVideoSpec), e.g. urlFor("fail", "gemini");
     * its peakInFlight tag is the spec's `tag=…` or else the spec itself */
    urlFor: (spec: string, protocol: VideoProtocol = "openai") => `${origin}/m/${spec}${SUFFIX[protocol]}`,
    /** the most status polls in flight at once for that base URL tag ("" : requests without a spec), or overall */
    peakInFlight: (tag?: string) => jobs.peakInFlight(tag),
    /** storage-host requests that carried a key (a header or ?key=) */
    keyLeaks: () => state.leaks,
    /** changes the settings for every later request (merged into the current ones) */
    set(patch: Partial<VideoSettings>) {
      settings = { ...settings, ...patch };
    },
    /** the upstream keys accepted from now on (undefined: any key) */
    setKeys(accepted: string[] | undefined) {
      keys = accepted;
    },
    /** back to the start options; forgets requests, jobs, in-flight peaks and key leaks */
    reset() {
      settings = { ...VIDEO_DEFAULTS, ...initial };
      keys = startKeys;
      requests.length = 0;
      jobs.clear();
      state.leaks = 0;
    },
    /** resolves once `predicate()` holds (checked every 10 ms), rejects after `timeoutMs` */
    async waitFor(predicate: () => boolean, timeoutMs = 2000) {
      const until = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > until) throw new Error(`mock video: condition not met within ${timeoutMs} ms`);
        await sleep(10);
      }
    },
    stop: () => server.stop(true),
  };
}
