// Video jobs on DashScope (Alibaba Cloud Model Studio), Wan text- and image-to-video: POST
// {base}/api/v1/services/aigc/video-generation/video-synthesis with X-DashScope-Async: enable → a task
// id; GET {base}/api/v1/tasks/{id} to poll (PENDING, RUNNING, SUCCEEDED with output.video_url and
// usage.video_duration, FAILED with its code and message, CANCELED, UNKNOWN); the video fetched from
// its signed OSS URL on another host without any key (no thumbnail or spritesheet exists); POST
// {base}/api/v1/tasks/{id}/cancel, which DashScope honours while the task is PENDING only.
import { classifyUpstreamError } from "../../../core/upstream-errors";
import type { UpstreamState } from "../../../core/video/job-state";
import type { VideoAsk, VideoImage, VideoPoll, VideoUpstream } from "../../video/contract";
import { post } from "../http";

export const SYNTHESIS_PATH = "/api/v1/services/aigc/video-generation/video-synthesis";

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

/** {base}/api/v1/tasks/{id}{rest} */
export const taskUrl = (base: string, id: string, rest = "") => `${base}/api/v1/tasks/${encodeURIComponent(id)}${rest}`;

const STATES: Record<string, UpstreamState["state"]> = {
  PENDING: "queued",
  RUNNING: "in_progress",
  SUCCEEDED: "completed",
  FAILED: "failed",
  CANCELED: "cancelled",
};

/** The resolution tier of an image-to-video job, from the size's shorter side (the model keeps the
 * image's aspect ratio: DashScope takes no WIDTH*HEIGHT for it). */
const tier = (shortSide: number) => (shortSide <= 480 ? "480P" : shortSide <= 720 ? "720P" : "1080P");

/** duration, and size "1280*720" (text-to-video) or resolution "720P" (image-to-video); no size: the
 * model's default. */
function parameters(ask: VideoAsk): Record<string, unknown> {
  const p: Record<string, unknown> = { duration: ask.seconds };
  if (!ask.size) return p;
  const [w, h] = ask.size.split("x").map(Number);
  if (ask.image) p.resolution = tier(Math.min(w, h));
  else p.size = `${w}*${h}`;
  return p;
}

/** The first frame as DashScope's img_url takes it inline: a data URL of the bytes. */
const dataUrl = (image: VideoImage) =>
  `data:${image.type || "image/png"};base64,${Buffer.from(image.bytes).toString("base64")}`;

type Task = {
  output?: {
    task_id?: unknown;
    task_status?: unknown;
    video_url?: unknown;
    code?: unknown;
    message?: unknown;
  };
  usage?: { video_duration?: unknown };
};

/** The signed URL's Expires (unix seconds), in ms; none: undefined. */
function expiresOf(url: string): number | undefined {
  try {
    const at = Number(new URL(url).searchParams.get("Expires") ?? "");
    return Number.isFinite(at) && at > 0 ? at * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export const dashscopeVideo: VideoUpstream = {
  submit(channel, key, ask) {
    const input: Record<string, string> = { prompt: ask.prompt };
    if (ask.image) input.img_url = dataUrl(ask.image);
    const body = JSON.stringify({ model: ask.model, input, parameters: parameters(ask) });
    return {
      url: channel.baseUrl + SYNTHESIS_PATH,
      init: post(body, { ...auth(key), "x-dashscope-async": "enable" }),
    };
  },
  submitted: (json) => {
    const id = (json as Task | null)?.output?.task_id;
    return typeof id === "string" && id ? id : null;
  },
  poll: (channel, key, id) => ({ url: taskUrl(channel.baseUrl, id), init: { method: "GET", headers: auth(key) } }),
  polled(json): VideoPoll {
    const task = (json ?? {}) as Task;
    const status = String(task.output?.task_status ?? "");
    const state = STATES[status];
    if (!state) return { state: "queued", unknown: status === "UNKNOWN" };
    if (state === "failed") {
      const code = String(task.output?.code ?? "") || "video_failed";
      return { state, error: { code, message: String(task.output?.message ?? "") || "the upstream failed the job" } };
    }
    if (state !== "completed") return { state };
    const url = typeof task.output?.video_url === "string" ? task.output.video_url : "";
    const reported = task.usage?.video_duration;
    const seconds = typeof reported === "number" || typeof reported === "string" ? Number(reported) : NaN;
    const expiresAtMs = expiresOf(url);
    return {
      state,
      resultRef: url,
      ...(Number.isFinite(seconds) && seconds > 0 ? { seconds } : {}),
      ...(expiresAtMs ? { expiresAtMs } : {}),
    };
  },
  // the video is on DashScope's OSS host, signed: fetched without the channel's key
  content: (_channel, _key, job, variant) =>
    variant === "video" && job.resultRef ? { url: job.resultRef, init: { method: "GET" }, keyed: false } : null,
  cancel: (channel, key, id) => ({
    url: taskUrl(channel.baseUrl, id, "/cancel"),
    init: { method: "POST", headers: auth(key) },
  }),
  unfunded: (status, text) => classifyUpstreamError(status, text, "dashscope") === "unfunded",
};
