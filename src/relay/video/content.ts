// A finished job's content (variant video, thumbnail or spritesheet), streamed through apiyi: fetched
// from the upstream with the key that made it (or, for a result on another host, without any key,
// following redirects only there, each hop through the address guard), never handed out as a URL.
// Gemini's keyed download answers with a redirect to a storage host: the provider says so
// (`thenKeyless`), and that Location is fetched afresh, with none of the first request's headers.
import { AppError } from "../../errors";
import { describeFetchError, fetchPinned, guardedFetch, targetFor } from "../../net/egress";
import type { VideoJobRow } from "../../db/schema";
import type { Runtime } from "../../runtime";
import { providerFor } from "../wire";
import type { ContentRequest, ContentVariant } from "./contract";

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
  const res = await fetchContent(r).catch((e) => {
    throw refuse(
      502,
      "upstream_error",
      `the video's content could not be fetched: ${describeFetchError(e, "the upstream")}`,
    );
  });
  if (!res.ok || !res.body) {
    void res.body?.cancel().catch(() => {});
    throw refuse(502, "upstream_error", `the upstream answered ${res.status} for the video's content`);
  }
  const headers: Record<string, string> = { "content-type": res.headers.get("content-type") ?? TYPES[variant] };
  const length = res.headers.get("content-length");
  if (length) headers["content-length"] = length;
  return new Response(res.body, { headers });
}

const KEYLESS_HOPS = 3;

/** A request with the key never follows a redirect; one without follows up to 3 hops. `thenKeyless`:
 * the keyed answer's redirect (if it is one) is fetched as a new request that carries no header. */
async function fetchContent(r: ContentRequest): Promise<Response> {
  if (!r.keyed) return guardedFetch(r.url, r.init, { maxRedirects: KEYLESS_HOPS });
  if (!r.thenKeyless) return guardedFetch(r.url, r.init, { maxRedirects: 0 });
  const first = await fetchPinned(await targetFor(r.url), r.init);
  const location = first.status >= 300 && first.status < 400 ? first.headers.get("location") : null;
  if (location === null) return first;
  void first.body?.cancel().catch(() => {});
  return guardedFetch(new URL(location, r.url).href, { method: "GET" }, { maxRedirects: KEYLESS_HOPS });
}
