// Mock video upstream, DashScope (Model Studio) Wan video synthesis: POST
// /api/v1/services/aigc/video-generation/video-synthesis with X-DashScope-Async: enable (without it: 403
// AccessDenied, as DashScope answers) → {request_id, output:{task_id, task_status:"PENDING"}}; GET
// /api/v1/tasks/{id} is a status poll (PENDING → RUNNING → SUCCEEDED with video_url on the OSS host
// http://localhost:port/oss/{id}.mp4?Expires=…&Signature=…, and usage; FAILED with code and message;
// CANCELED; UNKNOWN for a task it does not know); POST /api/v1/tasks/{id}/cancel only while PENDING.
// Bearer key; errors as {request_id, code, message}.
import {
  bearer,
  imageBytes,
  json,
  now,
  refusal,
  type Refusals,
  type VideoCtx,
  type VideoHandler,
  type VideoJob,
  type VideoStatus,
} from "./video-core";
import { signature } from "./video-jobs";

const CODES: Record<number, [string, string]> = {
  400: [
    "InvalidParameter",
    "The size is not match the allowed size ['1280*720', '720*1280', '960*960', '832*1088', '1088*832', '1920*1080', '1080*1920']",
  ],
  401: ["InvalidApiKey", "Invalid API-key provided."],
  403: ["AccessDenied", "Access denied."],
  429: ["Throttling.RateQuota", "Requests rate limit exceeded, please try again later."],
  500: ["InternalError", "An internal error has occured, please try again later or contact service support."],
  503: ["ServiceUnavailable", "The service is temporarily unavailable, please try again later."],
};

function dsError(status: number, code?: string, message?: string) {
  const [c, m] = CODES[status] ?? ["InternalError", `Upstream error ${status}.`];
  return json({ request_id: crypto.randomUUID(), code: code ?? c, message: message ?? m }, status);
}

const refusals: Refusals = {
  balance: () => dsError(400, "Arrearage", "Access denied, please make sure your account is in good standing."),
  status: (_ctx, code) => dsError(code),
};

const TASK_STATUS: Record<VideoStatus, string> = {
  queued: "PENDING",
  in_progress: "RUNNING",
  completed: "SUCCEEDED",
  failed: "FAILED",
  cancelled: "CANCELED",
};

/** DashScope's time format, "2025-10-11 18:55:56.952". */
const stamp = (unix: number) => new Date(unix * 1000).toISOString().replace("T", " ").replace("Z", "");

function submit(ctx: VideoCtx) {
  if (ctx.req.headers.get("x-dashscope-async") !== "enable")
    return dsError(403, "AccessDenied", "current user api does not support synchronous calls");
  const refused = refusal(ctx, refusals);
  if (refused) return refused;
  const b = ctx.body;
  if (typeof b?.model !== "string" || b.model === "") return dsError(400, "InvalidParameter", "Model not exist.");
  if (typeof b.input?.prompt !== "string" && typeof b.input?.img_url !== "string")
    return dsError(400, "InvalidParameter", "Field required: input.prompt");
  const p: Record<string, unknown> = b.parameters ?? {};
  const job = ctx.jobs.add("dashscope", ctx, {
    id: crypto.randomUUID(),
    model: b.model,
    prompt: b.input.prompt ?? "",
    seconds: Number(p.duration ?? 5),
    size: String(p.size ?? p.resolution ?? "1280*720"),
    parameters: p,
    inputBytes: imageBytes(b.input.img_url),
  });
  return json({ request_id: crypto.randomUUID(), output: { task_id: job.id, task_status: "PENDING" } });
}

/** The task as DashScope shows it, with usage once it succeeded. */
function task(ctx: VideoCtx, job: VideoJob) {
  const output: Record<string, unknown> = {
    task_id: job.id,
    task_status: TASK_STATUS[job.status],
    submit_time: stamp(job.createdAt),
  };
  if (job.status !== "queued") output.scheduled_time = stamp(job.createdAt);
  if (job.completedAt) output.end_time = stamp(job.completedAt);
  if (job.status === "failed") Object.assign(output, { code: "InternalError.Algo", message: job.error });
  if (job.status !== "completed") return { request_id: crypto.randomUUID(), output };
  const expires = now() + 86400;
  output.video_url = `${ctx.storageOrigin}/oss/${job.id}.mp4?Expires=${expires}&OSSAccessKeyId=LTAI5tMockKeyId&Signature=${signature(job.id)}`;
  output.orig_prompt = job.prompt;
  const usage: Record<string, unknown> = { video_count: 1, video_ratio: job.size };
  if (job.madeSeconds !== null) usage.video_duration = job.madeSeconds;
  return { request_id: crypto.randomUUID(), output, usage };
}

function cancel(ctx: VideoCtx, job: VideoJob | undefined) {
  if (!job) return dsError(404, "NotFound", "Task not found.");
  if (ctx.s.noCancel || job.status !== "queued")
    return dsError(
      400,
      "UnsupportedOperation",
      "Failed to cancel the task, please confirm if the task is in PENDING status.",
    );
  ctx.jobs.cancel(job);
  return json({ request_id: crypto.randomUUID() });
}

const SYNTHESIS = "/api/v1/services/aigc/video-generation/video-synthesis";
const TASK = /^\/api\/v1\/tasks\/([^/]+)(\/cancel)?$/;

export const dashscopeVideo: VideoHandler = {
  protocol: "dashscope",
  owns: (path) => path.startsWith("/api/v1/"),
  key: bearer,
  unauthorized: (_ctx, missing) => dsError(401, "InvalidApiKey", missing ? "No API-key provided." : undefined),
  notFound: (ctx) => dsError(404, "NotFound", `Not found: ${ctx.req.method} ${ctx.path}`),
  async route(ctx) {
    const { method } = ctx.req;
    if (ctx.path === SYNTHESIS && method === "POST") return submit(ctx);
    const m = TASK.exec(ctx.path);
    if (!m) return null;
    const job = ctx.jobs.find("dashscope", m[1], ctx.key);
    if (m[2]) return method === "POST" ? cancel(ctx, job) : null;
    if (method !== "GET") return null;
    await ctx.jobs.poll(ctx, job);
    if (!job) return json({ request_id: crypto.randomUUID(), output: { task_id: m[1], task_status: "UNKNOWN" } });
    return json(task(ctx, job));
  },
};
