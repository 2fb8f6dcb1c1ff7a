// OpenAI's video shape, the one new-api and API易 expose and the official `openai` SDK's
// client.videos.* speaks: the create request (JSON, or multipart with input_reference) read into a
// job's ask, and a job rendered as the video object (id, object "video", model, status, progress,
// seconds, size, created_at, completed_at, expires_at, error).
import { refusals } from "../../core/refusals";
import { normalizeSize } from "../../core/video/price";
import { openaiStatus } from "../../core/video/job-state";
import type { VideoJobRow } from "../../db/schema";
import type { VideoAsk, VideoImage } from "./contract";

/** What the client asked: the model, prompt, seconds (null: the model's default), size, image (and,
 * from a Gemini-shaped client, Veo's own parameters). */
export type ClientAsk = Omit<VideoAsk, "seconds"> & { seconds: number | null };

export const MAX_PROMPT = 32_000;

/** "8", 8 → 8; missing → null; anything else refused naming the field (`seconds`, its example "8"). */
export function secondsOf(v: unknown, field = "seconds", example = '"8"'): number | null {
  if (v === undefined || v === null || v === "") return null;
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n <= 0)
    throw refusals.badBody(`${field} must be a whole number of seconds, e.g. ${example}`, field);
  return n;
}

function sizeOf(v: unknown): string {
  if (v === undefined || v === null || v === "") return "";
  const size = typeof v === "string" ? normalizeSize(v) : null;
  if (!size) throw refusals.badBody('size must be WIDTHxHEIGHT, e.g. "1280x720"', "size");
  return size;
}

/** A required, non-blank string of at most `max` characters, or the refusal naming it. */
export function text(v: unknown, name: string, max: number): string {
  if (typeof v !== "string" || v.trim() === "") throw refusals.badBody(`${name} is required (a string)`, name);
  if (v.length > max) throw refusals.badBody(`${name} is longer than ${max} characters`, name);
  return v;
}

/** The create request's fields, from a JSON body or a multipart form. */
export async function readClientAsk(body: Record<string, unknown> | null, form: FormData | null): Promise<ClientAsk> {
  const get = (k: string) => (form ? (form.get(k) ?? undefined) : body?.[k]);
  const file = form?.get("input_reference");
  let image: VideoImage | null = null;
  if (file instanceof File)
    image = { bytes: new Uint8Array(await file.arrayBuffer()), type: file.type, name: file.name };
  else if (get("input_reference") !== undefined)
    throw refusals.badBody("input_reference must be an image file sent as multipart/form-data", "input_reference");
  return {
    model: text(get("model"), "model", 200),
    prompt: text(get("prompt"), "prompt", MAX_PROMPT),
    seconds: secondsOf(get("seconds")),
    size: sizeOf(get("size")),
    image,
  };
}

const unix = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

/** The job as OpenAI's video object. */
export function videoObject(job: VideoJobRow) {
  const status = openaiStatus(job.state as Parameters<typeof openaiStatus>[0]);
  const failed = status === "failed";
  return {
    id: job.id,
    object: "video",
    model: job.model,
    status,
    progress: job.state === "completed" ? 100 : job.progress,
    seconds: String(job.reportedSeconds ?? job.seconds),
    size: job.size,
    created_at: unix(job.createdAt),
    completed_at: unix(job.completedAt),
    expires_at: unix(job.expiresAt),
    error: failed
      ? { code: job.errorCode || job.state, message: job.errorMessage || `the job was ${job.state}` }
      : null,
  };
}
