// Gemini's long-running video shape, the one @google/genai's ai.models.generateVideos and
// ai.operations.getVideosOperation speak: the :predictLongRunning request ({instances:[{prompt,
// image?}], parameters:{durationSeconds?, aspectRatio?, resolution?, …}}) read into a job's ask, and a
// job rendered as its operation ({name}, then done with the video's uri, or done with an error). What
// apiyi has no field for is refused, naming it; Veo's own options are carried to Gemini upstreams.
import { refusals } from "../../core/refusals";
import { geminiDone, type VideoState } from "../../core/video/job-state";
import { geminiFileId } from "../../core/video/ids";
import { sizeOfVeo, VEO_ASPECT_RATIOS, VEO_RESOLUTIONS } from "../../core/video/veo";
import type { VideoJobRow } from "../../db/schema";
import type { VideoImage } from "./contract";
import { type ClientAsk, MAX_PROMPT, secondsOf, text } from "./openai-shape";

/** Veo's parameters apiyi has no field for, sent as they are to Gemini upstreams (others refuse them). */
const VEO_OWN = new Set(["negativePrompt", "personGeneration", "enhancePrompt"]);
const MAPPED = new Set(["durationSeconds", "aspectRatio", "resolution", "sampleCount"]);
const MIME = /^image\/(png|jpeg|webp|gif|heic|heif)$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const bad = (message: string, field: string) => refusals.badBody(message, field);

function only(o: Json, allowed: Set<string> | string[], where: string) {
  const set = allowed instanceof Set ? allowed : new Set(allowed);
  const extra = Object.keys(o).find((k) => !set.has(k));
  if (extra !== undefined) throw bad(`apiyi cannot carry ${where}${extra} to a video upstream`, `${where}${extra}`);
}

function imageOf(v: unknown): VideoImage | null {
  if (v === undefined || v === null) return null;
  const field = "instances[0].image";
  if (!isObject(v)) throw bad(`${field} must be {bytesBase64Encoded, mimeType}`, field);
  only(v, ["bytesBase64Encoded", "mimeType"], `${field}.`);
  const data = v.bytesBase64Encoded;
  if (typeof data !== "string" || data === "" || !/^[A-Za-z0-9+/_-]+=*$/.test(data))
    throw bad(`${field}.bytesBase64Encoded must be the image in base64`, `${field}.bytesBase64Encoded`);
  const type = typeof v.mimeType === "string" ? v.mimeType.toLowerCase() : "";
  if (!MIME.test(type)) throw bad(`${field}.mimeType must be an image type such as image/png`, `${field}.mimeType`);
  return { bytes: new Uint8Array(Buffer.from(data, "base64")), type, name: `image.${type.slice(6)}` };
}

function optionalString(p: Json, name: string, allowed: string[]): string | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  const field = `parameters.${name}`;
  const value = typeof v === "string" ? v : "";
  if (!allowed.includes(name === "resolution" ? value.toLowerCase() : value))
    throw bad(`${field} must be one of ${allowed.join(", ")}`, field);
  return value;
}

/** The :predictLongRunning body (its model from the path, put in by the body reader) as the job's ask. */
export function readGeminiAsk(body: Json): ClientAsk {
  only(body, ["model", "instances", "parameters"], "");
  const instances = body.instances;
  if (!Array.isArray(instances) || instances.length !== 1 || !isObject(instances[0]))
    throw bad("instances must hold exactly one instance, {prompt, image?}", "instances");
  const instance = instances[0];
  only(instance, ["prompt", "image"], "instances[0].");
  const p = body.parameters ?? {};
  if (!isObject(p)) throw bad("parameters must be an object", "parameters");
  only(p, new Set([...MAPPED, ...VEO_OWN]), "parameters.");
  if (p.sampleCount !== undefined && p.sampleCount !== null && p.sampleCount !== 1)
    throw bad("apiyi makes one video per job: parameters.sampleCount must be 1", "parameters.sampleCount");
  const aspectRatio = optionalString(p, "aspectRatio", VEO_ASPECT_RATIOS);
  const resolution = optionalString(p, "resolution", VEO_RESOLUTIONS);
  const size = aspectRatio || resolution ? (sizeOfVeo(aspectRatio, resolution) ?? "") : "";
  const own = Object.fromEntries(Object.entries(p).filter(([k, v]) => VEO_OWN.has(k) && v !== undefined));
  return {
    model: text(body.model, "model", 200),
    prompt: text(instance.prompt, "instances[0].prompt", MAX_PROMPT),
    seconds: secondsOf(p.durationSeconds, "parameters.durationSeconds", "8"),
    size,
    image: imageOf(instance.image),
    ...(Object.keys(own).length ? { veoParameters: own } : {}),
  };
}

export const operationName = (job: VideoJobRow) => `models/${job.model}/operations/${job.id}`;

/** google.rpc.Code of a job that did not complete */
const CODES: Partial<Record<VideoState, number>> = { cancelled: 1, expired: 4, failed: 13 };

/** The job as Gemini's operation; `origin`: where apiyi's /v1beta/files/{id}:download is served. */
export function operationOf(job: VideoJobRow, origin: string) {
  const name = operationName(job);
  const state = job.state as VideoState;
  if (!geminiDone(state)) return { name };
  if (state !== "completed")
    return {
      name,
      done: true,
      error: { code: CODES[state] ?? 13, message: job.errorMessage || `the job was ${state}` },
    };
  const uri = `${origin}/v1beta/files/${geminiFileId(job.id)}:download?alt=media`;
  return {
    name,
    done: true,
    response: {
      "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse",
      generateVideoResponse: { generatedSamples: [{ video: { uri } }] },
    },
  };
}
