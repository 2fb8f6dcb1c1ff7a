// Mock video upstream, shared core: the settings (switchable faults) and their spec syntax for per-URL
// modes, the recorded request and job shapes, the per-request context a protocol answers from, and the
// protocol plug-in shape (OpenAI Videos, Gemini Veo operations, DashScope Wan tasks).
import type { JobStore } from "./video-jobs";

export type VideoProtocol = "openai" | "gemini" | "dashscope";

export type VideoSettings = {
  /** status polls a job needs to finish: queued → in_progress (progress 50) → completed/failed on poll n */
  pollsToComplete: number;
  /** every status poll waits this long before answering, ms (to measure the gateway's poll concurrency) */
  pollDelayMs: number;
  /** the job ends failed, with the protocol's error shape and FAIL_MESSAGE */
  fail?: boolean;
  /** the finished job reports the seconds asked + n (OpenAI `seconds`, DashScope usage.video_duration) */
  moreSeconds?: number;
  /** the job never reports seconds (OpenAI object without `seconds`, DashScope usage without video_duration) */
  noSeconds?: boolean;
  /** the submit is refused with the provider's out-of-credit answer */
  insufficientBalance?: boolean;
  /** the submit answers HTTP n in the provider's error shape */
  submitStatus?: number;
  /** every request is refused as a bad key (the provider's own status: Gemini says 400 API_KEY_INVALID) */
  unauthorized?: boolean;
  /** cancelling is refused (OpenAI DELETE of an unfinished video, DashScope cancel) */
  noCancel?: boolean;
  /** names the base URL for peakInFlight (spec only; default: the whole spec) */
  tag?: string;
};

export type MockVideoOptions = Partial<VideoSettings> & {
  /** accepted upstream keys (Bearer for OpenAI and DashScope, x-goog-api-key or ?key= for Gemini); any when absent */
  keys?: string[];
};

export const VIDEO_DEFAULTS: VideoSettings = { pollsToComplete: 2, pollDelayMs: 0 };

/** The failure text of a `fail` job, in every protocol. */
export const FAIL_MESSAGE = "The video could not be generated: the renderer failed (mock failure).";

/** One received request. `protocol` is "storage" for the signed download hosts ("none": no protocol owns the path); `tag` names the base URL
 * ("" without a /m/<spec>/ prefix); `body` is a summary (long strings shortened, multipart files as
 * {name, size, type}). */
export type MockVideoRequest = {
  method: string;
  path: string;
  query: string;
  host: string;
  headers: Record<string, string>;
  body: any;
  protocol: VideoProtocol | "storage" | "none";
  tag: string;
  time: number;
};

export type VideoStatus = "queued" | "in_progress" | "completed" | "failed" | "cancelled";

/** One job, inspectable through `mock.jobs`. `seconds` is what was asked (or the protocol's default:
 * OpenAI 4, Gemini 8, DashScope 5); `madeSeconds` what the finished job reports (null: none reported). */
export type VideoJob = {
  id: string;
  protocol: VideoProtocol;
  model: string;
  prompt: string;
  seconds: number;
  size: string;
  /** the request's option object as sent (OpenAI {seconds, size}, Gemini and DashScope `parameters`) */
  parameters: Record<string, unknown>;
  status: VideoStatus;
  progress: number;
  /** status polls received (those after the job finished included) */
  polls: number;
  /** the upstream key of the submit; polls, downloads and cancels with another key find nothing */
  key: string;
  /** bytes of the reference image (multipart file, data URL or base64), when one was sent */
  inputBytes?: number;
  cancelled: boolean;
  /** OpenAI DELETE: gone from then on */
  deleted: boolean;
  madeSeconds: number | null;
  error: string | null;
  tag: string;
  /** unix seconds */
  createdAt: number;
  completedAt: number | null;
  /** content downloads served (OpenAI content variants, storage-host fetches) */
  downloads: number;
};

/** Per-request view a protocol answers from. */
export type VideoCtx = {
  s: VideoSettings;
  req: Request;
  url: URL;
  /** the path without its /m/<spec> prefix */
  path: string;
  /** the full parsed body (JSON, or multipart as fields and File objects) */
  body: any;
  key: string;
  tag: string;
  /** "/m/<spec>" when the request came through urlFor, else "" (links the mock hands out keep it) */
  prefix: string;
  /** http://127.0.0.1:port, the API host */
  origin: string;
  /** http://localhost:port, the signed-download host (a different host for the same server) */
  storageOrigin: string;
  jobs: JobStore;
};

/** A protocol: which paths are its own, where its key is, its refusals, and its routes (null: not found). */
export type VideoHandler = {
  protocol: VideoProtocol;
  owns(path: string): boolean;
  key(req: Request, url: URL): string;
  /** a bad key (`missing`: none sent) */
  unauthorized(ctx: VideoCtx, missing: boolean): Response;
  notFound(ctx: VideoCtx): Response;
  route(ctx: VideoCtx): Response | null | Promise<Response | null>;
};

/** A protocol's submit refusals: out of credit, and an HTTP status in its error shape. */
export type Refusals = { balance(ctx: VideoCtx): Response; status(ctx: VideoCtx, code: number): Response };

/** The submit's configured refusal (insufficientBalance, then submitStatus), or null to go on. */
export function refusal(ctx: VideoCtx, r: Refusals): Response | null {
  if (ctx.s.insufficientBalance) return r.balance(ctx);
  if (ctx.s.submitStatus) return r.status(ctx, ctx.s.submitStatus);
  return null;
}

export const json = (body: unknown, status = 200) => Response.json(body, { status });
export const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
export const now = () => Math.floor(Date.now() / 1000);
export const hex = (n: number) =>
  Array.from({ length: Math.ceil(n / 32) }, () => crypto.randomUUID().replace(/-/g, ""))
    .join("")
    .slice(0, n);
export const bearer = (req: Request) => (req.headers.get("authorization") ?? "").replace(/^Bearer\s+/i, "");

/** Parses a per-URL spec: "k[=v],k[=v]…", e.g. "fail", "moreSeconds=2,pollsToComplete=3", "tag=a,pollDelayMs=50".
 * A bare name is true; numbers are numbers. */
export function parseVideoSpec(spec: string): Partial<VideoSettings> {
  const out: Record<string, unknown> = {};
  for (const item of decodeURIComponent(spec).split(",")) {
    const [k, v] = item.trim().split("=");
    if (!k) continue;
    out[k] = v === undefined ? true : v !== "" && !Number.isNaN(Number(v)) ? Number(v) : v;
  }
  return out as Partial<VideoSettings>;
}

/** The request body: JSON ({} when empty or a GET), multipart as fields (strings) and File objects. */
export async function readVideoBody(req: Request): Promise<any> {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "DELETE") return {};
  if ((req.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const form = await req.formData().catch(() => null);
    return form ? Object.fromEntries(form.entries()) : "malformed multipart body";
  }
  const text = await req.text();
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return text;
  }
}

/** A loggable copy: files as {name, size, type}, strings over 200 characters shortened with their length. */
export function summarize(v: any): any {
  if (v instanceof File) return { name: v.name, size: v.size, type: v.type };
  if (typeof v === "string") return v.length > 200 ? `${v.slice(0, 48)}…(${v.length} chars)` : v;
  if (Array.isArray(v)) return v.map(summarize);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, summarize(x)]));
  return v;
}

/** Bytes of a reference image: a File, a data URL, or bare base64 (Gemini's bytesBase64Encoded). */
export function imageBytes(v: unknown): number | undefined {
  if (v instanceof File) return v.size;
  if (typeof v !== "string" || v === "") return undefined;
  const data = /^data:[^;,]+;base64,(.*)$/s.exec(v)?.[1];
  if (data !== undefined) return Buffer.from(data, "base64").length;
  return /^https?:/.test(v) ? undefined : Buffer.from(v, "base64").length;
}
