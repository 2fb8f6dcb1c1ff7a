// Mock video upstream, OpenAI Videos API under /v1/videos: create (multipart as the SDK sends it, or JSON;
// `seconds` must be a string), retrieve (each GET is a status poll), content (?variant=video|thumbnail|
// spritesheet, once completed), list (cursor page), delete ({id, object:"video.deleted", deleted:true};
// an unfinished video is cancelled, or refused under noCancel). Bearer key; OpenAI error bodies.
import type { Ctx } from "./core";
import { openaiError, openaiStatus, openaiUnauthorized } from "./openai-errors";
import { presetError } from "./upstream-errors";
import {
  bearer,
  hex,
  imageBytes,
  json,
  refusal,
  type Refusals,
  type VideoCtx,
  type VideoHandler,
  type VideoJob,
  type VideoSettings,
} from "./video-core";
import { isDone, spritesheetBytes, thumbnailBytes, videoBytes } from "./video-jobs";

const invalid = (message: string, param: string | null, code: string | null, status = 400) =>
  openaiError(status, message, "invalid_request_error", code, param);

const notFound = (id: string) => invalid(`Video with id '${id}' not found.`, null, null, 404);

/** The video object as OpenAI shows it; `seconds` is the made duration once completed, absent under noSeconds. */
export function videoObject(job: VideoJob, s: VideoSettings) {
  const done = job.status === "completed";
  const seconds = done ? job.madeSeconds : s.noSeconds ? null : job.seconds;
  return {
    id: job.id,
    object: "video",
    model: job.model,
    status: job.status,
    progress: job.progress,
    created_at: job.createdAt,
    completed_at: isDone(job) ? job.completedAt : null,
    expires_at: done && job.completedAt ? job.completedAt + 3600 : null,
    prompt: job.prompt,
    remixed_from_video_id: null,
    ...(seconds === null ? {} : { seconds: String(seconds) }),
    size: job.size,
    error: job.error ? { code: "video_generation_failed", message: job.error } : null,
  };
}

const refusals: Refusals = {
  balance: () => presetError("openai_insufficient_quota"),
  status: (_ctx, code) =>
    code === 400
      ? invalid("Invalid value: '7'. Supported values are: '4', '8', and '12'.", "seconds", "invalid_value")
      : openaiStatus({ s: { status: code } } as Ctx),
};

function create(ctx: VideoCtx) {
  const refused = refusal(ctx, refusals);
  if (refused) return refused;
  const b = ctx.body;
  if (typeof b !== "object" || b === null)
    return invalid("We could not parse the JSON body of your request.", null, null);
  if (typeof b.prompt !== "string" || b.prompt === "")
    return invalid("Missing required parameter: 'prompt'.", "prompt", "missing_required_parameter");
  if (b.seconds !== undefined && typeof b.seconds !== "string")
    return invalid(
      `Invalid type for 'seconds': expected a string, but got ${typeof b.seconds} instead.`,
      "seconds",
      "invalid_type",
    );
  const ref = b.input_reference;
  const job = ctx.jobs.add("openai", ctx, {
    id: `video_${hex(48)}`,
    model: typeof b.model === "string" ? b.model : "sora-2",
    prompt: b.prompt,
    seconds: Number(b.seconds ?? 4),
    size: typeof b.size === "string" ? b.size : "720x1280",
    parameters: { seconds: b.seconds, size: b.size },
    inputBytes: imageBytes(ref instanceof File ? ref : ref?.image_url),
  });
  return json(videoObject(job, ctx.s));
}

function list(ctx: VideoCtx) {
  const q = ctx.url.searchParams;
  const mine = ctx.jobs.list.filter((j) => j.protocol === "openai" && j.key === ctx.key && !j.deleted);
  const ordered = q.get("order") === "asc" ? mine : [...mine].reverse();
  const after = q.get("after");
  const start = after ? ordered.findIndex((j) => j.id === after) + 1 : 0;
  const limit = Number(q.get("limit") ?? 20) || 20;
  const page = ordered.slice(start, start + limit);
  return json({
    object: "list",
    data: page.map((j) => videoObject(j, ctx.s)),
    first_id: page[0]?.id ?? null,
    last_id: page.at(-1)?.id ?? null,
    has_more: start + limit < ordered.length,
  });
}

const VARIANTS: Record<string, [(id: string) => Uint8Array<ArrayBuffer>, string]> = {
  video: [videoBytes, "video/mp4"],
  thumbnail: [thumbnailBytes, "image/jpeg"],
  spritesheet: [spritesheetBytes, "image/jpeg"],
};

function content(ctx: VideoCtx, job: VideoJob) {
  const variant = ctx.url.searchParams.get("variant") ?? "video";
  const v = VARIANTS[variant];
  if (!v)
    return invalid(
      `Invalid value: '${variant}'. Supported values are: 'video', 'thumbnail', and 'spritesheet'.`,
      "variant",
      "invalid_value",
    );
  if (job.status !== "completed")
    return invalid(`Video '${job.id}' is not ready: its status is ${job.status}.`, null, null, 404);
  job.downloads++;
  return new Response(v[0](job.id), { headers: { "content-type": v[1] } });
}

function remove(ctx: VideoCtx, job: VideoJob) {
  if (!isDone(job) && ctx.s.noCancel)
    return invalid(`Video '${job.id}' is still being generated and cannot be deleted yet.`, null, null);
  ctx.jobs.cancel(job);
  job.deleted = true;
  return json({ id: job.id, object: "video.deleted", deleted: true });
}

const ONE = /^\/v1\/videos\/([^/]+)(\/content)?$/;

export const openaiVideo: VideoHandler = {
  protocol: "openai",
  owns: (path) => path === "/v1/videos" || path.startsWith("/v1/videos/"),
  key: bearer,
  unauthorized: (ctx, missing) =>
    missing
      ? invalid(
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          null,
          null,
          401,
        )
      : openaiUnauthorized(ctx.key, ctx.origin),
  notFound: (ctx) => invalid(`Invalid URL (${ctx.req.method} ${ctx.path})`, null, null, 404),
  async route(ctx) {
    const { method } = ctx.req;
    if (ctx.path === "/v1/videos") return method === "POST" ? create(ctx) : method === "GET" ? list(ctx) : null;
    const m = ONE.exec(ctx.path);
    if (!m) return null;
    const job = ctx.jobs.find("openai", m[1], ctx.key);
    if (method === "GET" && !m[2]) {
      await ctx.jobs.poll(ctx, job);
      return job ? json(videoObject(job, ctx.s)) : notFound(m[1]);
    }
    if (!job) return method === "GET" || method === "DELETE" ? notFound(m[1]) : null;
    if (method === "GET") return content(ctx, job);
    return method === "DELETE" && !m[2] ? remove(ctx, job) : null;
  },
};
