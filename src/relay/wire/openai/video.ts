// Video jobs on an OpenAI-shaped upstream (OpenAI's Videos API, resellers, new-api instances):
// POST {base}/videos (JSON, or multipart with input_reference), GET {base}/videos/{id} to poll,
// GET {base}/videos/{id}/content?variant=… for the bytes, DELETE {base}/videos/{id} to cancel. Veo's own
// parameters from a Gemini-shaped client (negativePrompt…) have no field here: refused, naming them.
import type { UpstreamState } from "../../../core/video/job-state";
import { refuseVeoParameters, type VideoPoll, type VideoUpstream } from "../../video/contract";
import { post } from "../http";

const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const at = (base: string, id: string, rest = "") => `${base}/videos/${encodeURIComponent(id)}${rest}`;

const STATES: Record<string, UpstreamState["state"]> = {
  queued: "queued",
  in_progress: "in_progress",
  processing: "in_progress",
  completed: "completed",
  succeeded: "completed",
  failed: "failed",
  cancelled: "cancelled",
  canceled: "cancelled",
};

type VideoObject = {
  id?: unknown;
  status?: unknown;
  progress?: unknown;
  seconds?: unknown;
  expires_at?: unknown;
  error?: { code?: unknown; message?: unknown } | null;
};

const num = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && v.trim() ? Number(v) : NaN);

export const openaiVideo: VideoUpstream = {
  submit(channel, key, ask) {
    refuseVeoParameters(ask, "OpenAI-shaped");
    const fields: Record<string, string> = { model: ask.model, prompt: ask.prompt, seconds: String(ask.seconds) };
    if (ask.size) fields.size = ask.size;
    if (!ask.image) return { url: `${channel.baseUrl}/videos`, init: post(JSON.stringify(fields), auth(key)) };
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    form.set("input_reference", new File([ask.image.bytes], ask.image.name, { type: ask.image.type }));
    return { url: `${channel.baseUrl}/videos`, init: post(form, auth(key)) };
  },
  submitted: (json) => {
    const id = (json as VideoObject | null)?.id;
    return typeof id === "string" && id ? id : null;
  },
  poll: (channel, key, id) => ({ url: at(channel.baseUrl, id), init: { method: "GET", headers: auth(key) } }),
  polled(json): VideoPoll {
    const v = (json ?? {}) as VideoObject;
    const state = STATES[String(v.status)] ?? "queued";
    const seconds = num(v.seconds);
    const progress = num(v.progress);
    const expires = num(v.expires_at);
    return {
      state,
      ...(Number.isFinite(progress) ? { progress } : {}),
      ...(state === "completed" && Number.isFinite(seconds) ? { seconds } : {}),
      ...(state === "completed" ? { resultRef: "" } : {}),
      ...(Number.isFinite(expires) ? { expiresAtMs: expires * 1000 } : {}),
      ...(state === "failed" && v.error
        ? { error: { code: String(v.error.code ?? "video_failed"), message: String(v.error.message ?? "") } }
        : {}),
    };
  },
  content: (channel, key, job, variant) => ({
    url: at(channel.baseUrl, job.upstreamId, `/content?variant=${variant}`),
    init: { method: "GET", headers: auth(key) },
    keyed: true,
  }),
  cancel: (channel, key, id) => ({ url: at(channel.baseUrl, id), init: { method: "DELETE", headers: auth(key) } }),
  unfunded: (status, text) =>
    status === 402 || (status === 429 && /insufficient_quota|insufficient.*balance/i.test(text)),
};
