// Video models' prices, per second of video, read from the vendors' own price pages (facts, not
// guesses): the price catalog package has no video models. Seeded once per list (services/
// video-prices.ts) for models that have no price yet; an admin's price is never replaced.
// Sizes priced apart are the ones the vendor lists apart; default_seconds is what the vendor makes
// when a request names no duration, max_seconds the longest it makes.
import type { VideoPriceJson } from "../core/video/price";

export type VideoSeed = { model: string; video: Partial<VideoPriceJson>; source: string };

const OPENAI = "https://platform.openai.com/docs/pricing (Sora Video API)";
const GOOGLE = "https://ai.google.dev/gemini-api/docs/pricing (Veo 3.1)";
const WAN_T2V = "https://www.alibabacloud.com/help/en/model-studio/text-to-video-api-reference";
const WAN_KF2V =
  "https://www.alibabacloud.com/help/en/model-studio/image-to-video-by-first-and-last-frame-api-reference";

/** Bump when the list changes: a server seeds the new entries once. */
export const VIDEO_SEED_VERSION = "2026-12-07";

export const VIDEO_SEEDS: VideoSeed[] = [
  // OpenAI Sora 2: 720×1280 / 1280×720; Pro also 1024×1792 / 1792×1024; 4, 8 or 12 s (default 4)
  { model: "sora-2", video: { per_second: "0.10", default_seconds: 4, max_seconds: 12 }, source: OPENAI },
  {
    model: "sora-2-pro",
    video: {
      per_second: "0.30",
      sizes: { "1024x1792": "0.50", "1792x1024": "0.50" },
      default_seconds: 4,
      max_seconds: 12,
    },
    source: OPENAI,
  },
  // Google Veo 3.1 (Gemini API, with audio): 720p and 1080p at one price, 4K apart; 4, 6 or 8 s (default 8)
  {
    model: "veo-3.1-generate-preview",
    video: {
      per_second: "0.40",
      sizes: { "3840x2160": "0.60", "2160x3840": "0.60" },
      default_seconds: 8,
      max_seconds: 8,
    },
    source: GOOGLE,
  },
  {
    model: "veo-3.1-fast-generate-preview",
    video: {
      per_second: "0.15",
      sizes: { "3840x2160": "0.35", "2160x3840": "0.35" },
      default_seconds: 8,
      max_seconds: 8,
    },
    source: GOOGLE,
  },
  // Alibaba Wan (Model Studio, international): 5 s videos
  { model: "wan2.1-t2v-turbo", video: { per_second: "0.036", default_seconds: 5, max_seconds: 5 }, source: WAN_T2V },
  { model: "wan2.1-t2v-plus", video: { per_second: "0.10", default_seconds: 5, max_seconds: 5 }, source: WAN_T2V },
  { model: "wan2.1-kf2v-plus", video: { per_second: "0.10", default_seconds: 5, max_seconds: 5 }, source: WAN_KF2V },
];
