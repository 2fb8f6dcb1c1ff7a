// Upstream type "dashscope": Alibaba Cloud Model Studio (DashScope)'s native API, for its asynchronous
// Wan video jobs only (video.ts). base_url is the region's host without a path: Beijing
// https://dashscope.aliyuncs.com, Singapore https://dashscope-intl.aliyuncs.com, Virginia
// https://dashscope-us.aliyuncs.com (a key works in its own region only); the provider appends
// /api/v1/… itself. It serves no chat-style endpoint (DashScope's OpenAI-compatible mode is an
// "openai" channel on …/compatible-mode/v1), so the channel test is a key check: the status of a
// task that does not exist, which DashScope answers UNKNOWN (200) for an accepted key and 401 for a
// bad one. No video is made, no money spent; it does not show that the account has credit.
import type { Endpoint, Provider } from "../contract";
import { dashscopeVideo, taskUrl } from "./video";

const SERVES: ReadonlySet<Endpoint> = new Set<Endpoint>();

/** The task the key check asks about: no task has this id. */
const NO_TASK = "apiyi-key-check-00000000";

/** DashScope's error body: {request_id, code, message} (its OpenAI-compatible mode: {error: {…}}). */
function errorMessage(bodyText: string): string | null {
  try {
    const b = JSON.parse(bodyText);
    const e = b?.error && typeof b.error === "object" ? b.error : b;
    const message = typeof e?.message === "string" ? e.message : null;
    const code = typeof e?.code === "string" ? e.code : null;
    return message && code ? `${code}: ${message}` : (message ?? code);
  } catch {
    return null;
  }
}

export const dashscope: Provider = {
  type: "dashscope",
  baseUrl: {
    defaultPath: "",
    example: "https://dashscope.aliyuncs.com",
    // …/api/v1 and anything after it, e.g. …/api/v1/services/aigc/video-generation/video-synthesis
    endpoints: /\/api\/v1(\/.*)?$/i,
    foreign: {
      pattern: /\/api\/v1\/services\/aigc\/video-generation\/video-synthesis$/i,
      hint: "DashScope's video synthesis: choose type dashscope with the region's host (https://dashscope.aliyuncs.com or https://dashscope-intl.aliyuncs.com)",
    },
  },
  serves: () => SERVES,
  request: () => {
    // never reached: the relay sends a channel only the endpoints it serves, and this type serves none
    throw new Error("a dashscope channel runs video jobs only");
  },
  prepareBody: (_endpoint, body, upstreamModel) => JSON.stringify({ ...body, model: upstreamModel }),
  errorMessage,
  check: (channel, key) => ({
    url: taskUrl(channel.baseUrl, NO_TASK),
    init: { method: "GET", headers: { authorization: `Bearer ${key}` } },
  }),
  video: dashscopeVideo,
};
