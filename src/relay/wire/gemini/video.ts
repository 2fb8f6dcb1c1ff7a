// Video jobs on the Gemini API (Veo): POST {base}/models/{model}:predictLongRunning with
// {instances:[{prompt, image?}], parameters:{durationSeconds, aspectRatio?, resolution?}}, the key in
// x-goog-api-key; poll GET {base}/{operation name} (a running operation may omit `done`); the video is
// the file of response.generateVideoResponse.generatedSamples[0].video.uri, whose download
// ({base}/files/{id}:download?alt=media, with the key) answers 302 to a storage host fetched without
// any key. Veo reports no seconds (the held seconds are billed) and has no cancel; a size Veo cannot
// make is refused naming `size`. Out of credit: Google's 429 for a spent quota or billing (the
// classifier in core/upstream-errors.ts decides).
import { classifyUpstreamError } from "../../../core/upstream-errors";
import { VEO_SIZES, veoShapeOf } from "../../../core/video/veo";
import { refusals } from "../../../core/refusals";
import type { VideoAsk, VideoPoll, VideoUpstream } from "../../video/contract";
import { post } from "../http";

const auth = (key: string) => ({ "x-goog-api-key": key });

type Operation = {
  name?: unknown;
  done?: unknown;
  error?: { code?: unknown; message?: unknown } | null;
  response?: {
    generateVideoResponse?: {
      generatedSamples?: { video?: { uri?: unknown } }[];
      raiMediaFilteredReasons?: unknown;
    };
  };
};

function parameters(ask: VideoAsk): Record<string, unknown> {
  const p: Record<string, unknown> = { ...ask.veoParameters, durationSeconds: ask.seconds };
  if (!ask.size) return p;
  const shape = veoShapeOf(ask.size);
  if (!shape)
    throw refusals.badBody(`Veo cannot make a video of size ${ask.size} (it makes ${VEO_SIZES.join(", ")})`, "size");
  return { ...p, ...shape };
}

/** The operation name's path under the base, each segment encoded (no "..", no query). */
const operationPath = (name: string) =>
  name
    .split("/")
    .filter((s) => s !== "" && s !== "." && s !== "..")
    .map(encodeURIComponent)
    .join("/");

/** The file id in a video uri (".../files/{id}:download?alt=media", or "files/{id}"), or null. */
const fileIdOf = (uri: string) => /(?:^|\/)files\/([a-z0-9]+)(?=$|[:?/])/.exec(uri)?.[1] ?? null;

function failedReply(op: Operation): VideoPoll {
  const e = op.error ?? {};
  return {
    state: "failed",
    error: { code: `gemini_${String(e.code ?? "error")}`, message: String(e.message ?? "Veo failed the job") },
  };
}

export const geminiVideo: VideoUpstream = {
  submit(channel, key, ask) {
    const instance: Record<string, unknown> = { prompt: ask.prompt };
    if (ask.image)
      instance.image = {
        bytesBase64Encoded: Buffer.from(ask.image.bytes).toString("base64"),
        mimeType: ask.image.type,
      };
    const body = JSON.stringify({ instances: [instance], parameters: parameters(ask) });
    const url = `${channel.baseUrl}/models/${encodeURIComponent(ask.model)}:predictLongRunning`;
    return { url, init: post(body, auth(key)) };
  },
  submitted: (json) => {
    const name = (json as Operation | null)?.name;
    return typeof name === "string" && operationPath(name) ? name : null;
  },
  poll: (channel, key, name) => ({
    url: `${channel.baseUrl}/${operationPath(name)}`,
    init: { method: "GET", headers: auth(key) },
  }),
  polled(json): VideoPoll {
    const op = (json ?? {}) as Operation;
    if (op.done !== true) return { state: "in_progress" };
    if (op.error) return failedReply(op);
    const made = op.response?.generateVideoResponse;
    const uri = made?.generatedSamples?.[0]?.video?.uri;
    if (typeof uri === "string" && uri) return { state: "completed", resultRef: uri };
    const reasons = Array.isArray(made?.raiMediaFilteredReasons) ? made.raiMediaFilteredReasons.join(" ") : "";
    return {
      state: "failed",
      error: { code: "content_filtered", message: reasons || "Veo finished the job without a video" },
    };
  },
  content(channel, key, job, variant) {
    if (variant !== "video") return null;
    const id = fileIdOf(job.resultRef);
    // the key goes only to the channel's own base URL; a uri elsewhere is fetched without it
    if (!id) return { url: job.resultRef, init: { method: "GET" }, keyed: false };
    return {
      url: `${channel.baseUrl}/files/${id}:download?alt=media`,
      init: { method: "GET", headers: auth(key) },
      keyed: true,
      thenKeyless: true,
    };
  },
  unfunded: (status, text) => classifyUpstreamError(status, text, "gemini") === "unfunded",
};
