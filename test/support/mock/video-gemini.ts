// Mock video upstream, Gemini Veo: POST /v1beta/models/{model}:predictLongRunning answers {name}; GET
// /v1beta/models/{model}/operations/{id} is a status poll ({name} while running, as Google omits done:false;
// then done with response.generateVideoResponse.generatedSamples[].video.uri, or done with error {code, message});
// GET /v1beta/files/{id}:download?alt=media (with the key) redirects 302 to the storage host
// (http://localhost:port/storage/{id}.mp4?sig=…) that wants no key. Key in x-goog-api-key or ?key=. Veo does
// not report seconds. No cancel (Google has none for video operations).
import { presetError } from "./upstream-errors";
import {
  hex,
  imageBytes,
  json,
  refusal,
  type Refusals,
  type VideoCtx,
  type VideoHandler,
  type VideoJob,
} from "./video-core";
import { isDone, signature } from "./video-jobs";

const STATUSES: Record<number, [string, string]> = {
  400: ["INVALID_ARGUMENT", "Request contains an invalid argument."],
  403: ["PERMISSION_DENIED", "The caller does not have permission"],
  404: ["NOT_FOUND", "Requested entity was not found."],
  429: ["RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."],
  500: [
    "INTERNAL",
    "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
  ],
  503: ["UNAVAILABLE", "The model is overloaded. Please try again later."],
};

function googleError(code: number, message?: string, details?: object[]) {
  const [status, text] = STATUSES[code] ?? ["UNKNOWN", `Upstream error ${code}.`];
  return json({ error: { code, message: message ?? text, status, ...(details ? { details } : {}) } }, code);
}

const QUOTA = [
  {
    "@type": "type.googleapis.com/google.rpc.QuotaFailure",
    violations: [
      {
        quotaMetric: "generativelanguage.googleapis.com/predict_long_running_requests",
        quotaId: "PredictLongRunningRequestsPerDayPerProjectPerModel",
      },
    ],
  },
  {
    "@type": "type.googleapis.com/google.rpc.Help",
    links: [
      { description: "Learn more about Gemini API quotas", url: "https://ai.google.dev/gemini-api/docs/rate-limits" },
    ],
  },
];

const refusals: Refusals = {
  balance: () =>
    googleError(
      429,
      "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
      QUOTA,
    ),
  status: (_ctx, code) => googleError(code),
};

const SUBMIT = /^\/v1beta\/models\/([^/:]+):predictLongRunning$/;
const OPERATION = /^\/v1beta\/models\/([^/:]+)\/operations\/([^/:]+)$/;
const DOWNLOAD = /^\/v1beta\/files\/([^/:]+):download$/;

function submit(ctx: VideoCtx, model: string) {
  const refused = refusal(ctx, refusals);
  if (refused) return refused;
  const instance = ctx.body?.instances?.[0];
  if (typeof instance?.prompt !== "string" || instance.prompt === "")
    return googleError(400, "* PredictLongRunningRequest.instances[0].prompt: prompt is required");
  const p: Record<string, unknown> = ctx.body.parameters ?? {};
  const image = instance.image;
  const job = ctx.jobs.add("gemini", ctx, {
    id: hex(12),
    model,
    prompt: instance.prompt,
    seconds: Number(p.durationSeconds ?? 8),
    size: typeof p.aspectRatio === "string" ? p.aspectRatio : "16:9",
    parameters: p,
    inputBytes: imageBytes(image?.bytesBase64Encoded ?? image?.inlineData?.data),
  });
  return json({ name: `models/${model}/operations/${job.id}` });
}

/** The operation as Google shows it: {name} while running, then done with a response or an error. */
function operation(ctx: VideoCtx, job: VideoJob) {
  const name = `models/${job.model}/operations/${job.id}`;
  if (!isDone(job)) return { name };
  if (job.status !== "completed") return { name, done: true, error: { code: 13, message: job.error } };
  const uri = `${ctx.origin}${ctx.prefix}/v1beta/files/${job.id}:download?alt=media`;
  return {
    name,
    done: true,
    response: {
      "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse",
      generateVideoResponse: { generatedSamples: [{ video: { uri } }] },
    },
  };
}

function download(ctx: VideoCtx, job: VideoJob | undefined, id: string) {
  if (job?.status !== "completed") return googleError(404, `File ${id} not found.`);
  const location = `${ctx.storageOrigin}/storage/${id}.mp4?sig=${signature(id)}`;
  return new Response(null, { status: 302, headers: { location } });
}

export const geminiVideo: VideoHandler = {
  protocol: "gemini",
  owns: (path) => path.startsWith("/v1beta/"),
  key: (req, url) => req.headers.get("x-goog-api-key") ?? url.searchParams.get("key") ?? "",
  unauthorized: (_ctx, missing) =>
    missing
      ? googleError(
          403,
          "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
        )
      : presetError("gemini_invalid_key"),
  notFound: (ctx) => googleError(404, `Requested entity was not found: ${ctx.req.method} ${ctx.path}`),
  async route(ctx) {
    const { method } = ctx.req;
    const sub = SUBMIT.exec(ctx.path);
    if (sub && method === "POST") return submit(ctx, sub[1]);
    const op = OPERATION.exec(ctx.path);
    if (op && method === "GET") {
      const job = ctx.jobs.find("gemini", op[2], ctx.key);
      await ctx.jobs.poll(ctx, job);
      return job ? json(operation(ctx, job)) : googleError(404, `Operation ${op[2]} not found.`);
    }
    const file = DOWNLOAD.exec(ctx.path);
    if (file && method === "GET") return download(ctx, ctx.jobs.find("gemini", file[1], ctx.key), file[1]);
    return null;
  },
};
