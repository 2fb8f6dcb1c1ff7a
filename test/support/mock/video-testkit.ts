// Test helpers for the mock video upstream's own tests (not used by the mock): a minimal raw-HTTP client per
// protocol, so one table of tests can submit, poll and fetch in OpenAI, Gemini and DashScope alike.
import type { VideoProtocol } from "./video-core";

export type Reply = { status: number; body: any; res: Response };

export type VideoClient = {
  protocol: VideoProtocol;
  /** submits a job (`seconds` asked when given); `id` is the job id the mock records */
  submit(prompt?: string, seconds?: number): Promise<Reply & { id: string }>;
  /** one status poll */
  poll(id: string): Promise<Reply>;
  /** is this poll answer finished (completed, failed or cancelled)? */
  done(body: any): boolean;
  /** fetches the finished video as a careful gateway does (Gemini: the key only on the API host, the
   * redirect to the storage host followed without it) */
  download(body: any, id: string): Promise<Response>;
  /** the reported seconds in a completed poll answer (undefined: none) */
  seconds(body: any): number | undefined;
  /** the failure message in a failed poll answer */
  failure(body: any): string | undefined;
};

const reply = async (res: Response): Promise<Reply> => {
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body, res };
};

const send = (url: string, method: string, headers: Record<string, string>, body?: unknown) =>
  fetch(url, {
    method,
    headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then(reply);

export function videoClient(protocol: VideoProtocol, base: string, key: string): VideoClient {
  if (protocol === "openai") {
    const h = { authorization: `Bearer ${key}` };
    return {
      protocol,
      async submit(prompt = "a cat", seconds) {
        const r = await send(`${base}/videos`, "POST", h, {
          model: "sora-2",
          prompt,
          seconds: seconds && String(seconds),
        });
        return { ...r, id: r.body?.id };
      },
      poll: (id) => send(`${base}/videos/${id}`, "GET", h),
      done: (b) => b.status === "completed" || b.status === "failed",
      download: (_b, id) => fetch(`${base}/videos/${id}/content`, { headers: h }),
      seconds: (b) => (b.seconds === undefined ? undefined : Number(b.seconds)),
      failure: (b) => b.error?.message,
    };
  }
  if (protocol === "gemini") {
    const h = { "x-goog-api-key": key };
    return {
      protocol,
      async submit(prompt = "a cat", seconds) {
        const parameters = seconds === undefined ? {} : { durationSeconds: seconds };
        const r = await send(`${base}/models/veo-3.0-generate-001:predictLongRunning`, "POST", h, {
          instances: [{ prompt }],
          parameters,
        });
        return {
          ...r,
          id:
            String(r.body?.name ?? "")
              .split("/")
              .at(-1) ?? "",
        };
      },
      poll: (id) => send(`${base}/models/veo-3.0-generate-001/operations/${id}`, "GET", h),
      done: (b) => b.done === true,
      async download(b) {
        const uri = b.response.generateVideoResponse.generatedSamples[0].video.uri;
        const hop = await fetch(uri, { headers: h, redirect: "manual" });
        return hop.status === 302 ? fetch(hop.headers.get("location")!) : hop;
      },
      seconds: () => undefined,
      failure: (b) => b.error?.message,
    };
  }
  const h = { authorization: `Bearer ${key}`, "x-dashscope-async": "enable" };
  return {
    protocol,
    async submit(prompt = "a cat", seconds) {
      const parameters = { size: "1280*720", ...(seconds === undefined ? {} : { duration: seconds }) };
      const r = await send(`${base}/api/v1/services/aigc/video-generation/video-synthesis`, "POST", h, {
        model: "wan2.5-t2v-preview",
        input: { prompt },
        parameters,
      });
      return { ...r, id: r.body?.output?.task_id };
    },
    poll: (id) => send(`${base}/api/v1/tasks/${id}`, "GET", { authorization: h.authorization }),
    done: (b) => ["SUCCEEDED", "FAILED", "CANCELED"].includes(b.output?.task_status),
    download: (b) => fetch(b.output.video_url),
    seconds: (b) => b.usage?.video_duration,
    failure: (b) => b.output?.message,
  };
}

/** The protocol's base URL on a mock (plain, or pinned to `spec`). */
export const baseOf = (
  mock: { openaiUrl: string; geminiUrl: string; dashscopeUrl: string; urlFor(s: string, p: VideoProtocol): string },
  protocol: VideoProtocol,
  spec?: string,
) =>
  spec
    ? mock.urlFor(spec, protocol)
    : { openai: mock.openaiUrl, gemini: mock.geminiUrl, dashscope: mock.dashscopeUrl }[protocol];

export const PROTOCOLS: VideoProtocol[] = ["openai", "gemini", "dashscope"];
