/** @jsxImportSource @kitajs/html */
// The /videos page (the signed-in user's own video jobs, newest first, keyset pages; `?job=` shows one
// job, where /log links), a live row's refresh (htmx asks for it every few seconds and may trigger an
// early poll, as the API's retrieve does; it never settles anything), and the content route the page's
// players read: GET /videos/:id/content with the session cookie (a browser <video> cannot send a Bearer
// key), the owner's jobs only (anyone else's id is 404), streamed through apiyi like /v1's.
import { type VideoLine, VideoRow, VideosPage } from "../../views/console/videos";
import { VIDEO_LOGS } from "../core/status";
import { isFinal, type VideoState } from "../core/video/job-state";
import { isVideoId } from "../core/video/ids";
import type { VideoJobRow } from "../db/schema";
import { asAppError, keyed, notFound } from "../errors";
import { errorText } from "../i18n/errors";
import { videoContent } from "../relay/video/content";
import type { Runtime } from "../runtime";
import type { Ctx } from "../services/context";
import { firstParam } from "../services/call-stats";
import { consoleUser } from "./guard";
import { requestTranslator } from "./language";
import type { ConsoleTable } from "./route";

const PAGE_SIZE = 20;

/** Whether the finished video can still be fetched: completed and not past the upstream's expiry. */
export const videoKept = (job: VideoJobRow, nowMs: number) =>
  job.state === "completed" && (job.expiresAt === null || job.expiresAt > nowMs);

function lineOf(job: VideoJobRow, nowMs: number): VideoLine {
  const state = job.state as VideoState;
  const kept = videoKept(job, nowMs);
  return {
    id: job.id,
    model: job.model,
    state,
    progress: state === "completed" ? 100 : job.progress,
    seconds: job.reportedSeconds ?? job.seconds,
    size: job.size,
    createdAt: job.createdAt,
    held: job.holdUnits,
    charged: isFinal(state) ? (job.chargedUnits ?? 0) : null,
    playable: kept,
    gone: state === "completed" && !kept,
    error: job.errorMessage,
  };
}

/** The user's job with this id, or "not found" (another user's id included). */
async function ownJob(ctx: Ctx, userId: number, id: string | undefined): Promise<VideoJobRow> {
  const job = isVideoId(id) ? await ctx.store.videos.ofUser(id, userId) : undefined;
  if (!job) throw notFound(keyed("error.video.notFound", { id: String(id ?? "").slice(0, 80) }));
  return job;
}

/** The log rows, a video job's row with `watch` (the job's id) while its video can still be watched:
 * the /log row links to it. */
export async function withWatchLinks<R extends { endpoint: string; other: string }>(
  ctx: Ctx,
  userId: number,
  rows: R[],
) {
  const now = ctx.clock.nowMs();
  const out: (R & { watch?: string })[] = [];
  for (const r of rows) {
    const id = r.endpoint === VIDEO_LOGS.endpoint ? videoIdOf(r.other) : null;
    const job = id ? await ctx.store.videos.ofUser(id, userId) : undefined;
    out.push(job && videoKept(job, now) ? { ...r, watch: job.id } : r);
  }
  return out;
}

/** The job id a video log row names in its details. */
function videoIdOf(other: string): string | null {
  try {
    const id = (JSON.parse(other) as { video?: unknown }).video;
    return isVideoId(id) ? id : null;
  } catch {
    return null;
  }
}

/** Only what a media element may be: the upstream's video, image or audio type, else plain bytes. */
const MEDIA_TYPE = /^(video|audio|image)\/[\w.+-]+$/i;

export function videoPages({ page, fragment, routes, ctx }: ConsoleTable, rt: Runtime) {
  page("/videos", { title: ({ t }) => t("videos.title") }, async ({ user, query, t }) => {
    const now = ctx.clock.nowMs();
    const jobId = firstParam(query.job);
    if (jobId) {
      // one job (a /log row's link); an id that is not the user's shows none
      const job = isVideoId(jobId) ? await ctx.store.videos.ofUser(jobId, user.id) : undefined;
      return VideosPage({ lines: job ? [lineOf(job, now)] : [], one: true, links: {}, t }) as string;
    }
    const afterId = firstParam(query.after);
    const after = isVideoId(afterId) ? await ctx.store.videos.ofUser(afterId, user.id) : undefined;
    const size = Math.min(100, Math.max(1, Math.floor(Number(firstParam(query.size))) || PAGE_SIZE));
    const rows = await ctx.store.videos.list(user.id, { after, limit: size + 1, order: "desc" });
    const shown = rows.slice(0, size);
    const href = (more: Record<string, string>) => {
      const q = new URLSearchParams(more);
      if (size !== PAGE_SIZE) q.set("size", String(size));
      return q.size ? `/videos?${q}` : "/videos";
    };
    const links = {
      newest: after ? href({}) : undefined,
      older: rows.length > size ? href({ after: shown.at(-1)!.id }) : undefined,
    };
    return VideosPage({ lines: shown.map((j) => lineOf(j, now)), one: false, links, t }) as string;
  });

  fragment("/videos/:id/row", async ({ user, params, t }) => {
    const job = await ownJob(ctx, user.id, params.id);
    if (!isFinal(job.state as VideoState)) await rt.videos.early(job);
    return VideoRow({ v: lineOf(job, ctx.clock.nowMs()), tr: t }) as string;
  });

  routes.get("/videos/:id/content", async ({ request, params }) => {
    const user = await consoleUser(ctx, request);
    const url = new URL(request.url);
    if (!user) return Response.redirect(`/login?next=${encodeURIComponent(url.pathname)}`, 302);
    try {
      const res = await videoContent(rt, await ownJob(ctx, user.id, params.id), url.searchParams.get("variant"));
      const headers = new Headers(res.headers);
      if (!MEDIA_TYPE.test(headers.get("content-type") ?? "")) headers.set("content-type", "application/octet-stream");
      headers.set("cache-control", "private");
      return new Response(res.body, { status: res.status, headers });
    } catch (e) {
      const err = asAppError(e, `console GET ${url.pathname}`);
      const text = errorText(err, await requestTranslator(ctx, request, user));
      return new Response(text, { status: err.status, headers: { "content-type": "text/plain; charset=utf-8" } });
    }
  });
}
