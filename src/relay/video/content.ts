// A finished job's content (variant video, thumbnail or spritesheet), streamed through apiyi: fetched
// from the upstream with the key that made it (or, for a result on another host, without any key,
// following redirects only there, each hop through the address guard), never handed out as a URL.
import { AppError } from "../../errors";
import { guardedFetch } from "../../net/egress";
import type { VideoJobRow } from "../../db/schema";
import type { Runtime } from "../../runtime";
import { providerFor } from "../wire";
import type { ContentVariant } from "./contract";

const VARIANTS = new Set<ContentVariant>(["video", "thumbnail", "spritesheet"]);
const TYPES: Record<ContentVariant, string> = {
  video: "video/mp4",
  thumbnail: "image/webp",
  spritesheet: "image/jpeg",
};

const refuse = (status: number, code: string, message: string) =>
  new AppError(status, code, message, status === 400 ? "variant" : null);

export async function videoContent(rt: Runtime, job: VideoJobRow, asked: string | null): Promise<Response> {
  const variant = (asked ?? "video") as ContentVariant;
  if (!VARIANTS.has(variant)) throw refuse(400, "invalid_request", "variant must be video, thumbnail or spritesheet");
  if (job.state !== "completed") throw refuse(409, "video_not_ready", `the video is ${job.state}, not completed`);
  if (job.expiresAt !== null && job.expiresAt <= rt.ctx.clock.nowMs())
    throw refuse(410, "video_expired", "the upstream no longer keeps this video");
  const channel = rt.ctx.snapshot.current.channelsById.get(job.channelId);
  const video = channel && providerFor(channel.type)?.video;
  const key = channel?.keys[job.keyIndex];
  if (!channel || !video || !key) throw refuse(404, "video_gone", "the channel that made this video was removed");
  const r = video.content(channel, key, { upstreamId: job.upstreamId, resultRef: job.resultRef }, variant);
  if (!r) throw refuse(404, "variant_not_available", `this upstream has no ${variant} for its videos`);
  // a request with the key never follows a redirect; one without follows up to 3 hops, keyless
  const res = await guardedFetch(r.url, r.init, { maxRedirects: r.keyed ? 0 : 3 });
  if (!res.ok || !res.body) {
    void res.body?.cancel().catch(() => {});
    throw refuse(502, "upstream_error", `the upstream answered ${res.status} for the video's content`);
  }
  const headers: Record<string, string> = { "content-type": res.headers.get("content-type") ?? TYPES[variant] };
  const length = res.headers.get("content-length");
  if (length) headers["content-length"] = length;
  return new Response(res.body, { headers });
}
