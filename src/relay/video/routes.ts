// OpenAI's video routes on /v1 (what the `openai` SDK's client.videos.* calls): create (JSON or
// multipart), retrieve, list (cursor: after, limit, order), delete (a running job is cancelled upstream
// where it can be, its hold released; a finished job's charge stays), and content (streamed through
// apiyi with the key's auth; never a redirect to an URL that carries an upstream key). A key sees only
// its owner's jobs: anyone else's id is 404.
import { isVideoId } from "../../core/video/ids";
import type { VideoJobRow } from "../../db/schema";
import { AppError } from "../../errors";
import type { Runtime } from "../../runtime";
import { authenticate } from "../checks/auth";
import { readCallBody, readFormBody } from "../checks/body";
import { requestIp } from "../pipeline";
import { LIVE_STATES } from "../../store/videos";
import { callersJob, createVideo, guarded, type Handler } from "./calls";
import { videoContent } from "./content";
import { endVideoJob } from "./end";
import { readClientAsk, videoObject } from "./openai-shape";
import { videoRequest } from "./upstream";
import { providerFor } from "../wire";

const json = (body: unknown, status = 200) => Response.json(body, { status });
const notFound = (id: string) =>
  new AppError(
    404,
    "not_found",
    `no video job ${id.slice(0, 80)} for this API key`,
    "video_id",
    "invalid_request_error",
  );

/** POST /v1/videos: JSON, or multipart with input_reference. */
const create = (rt: Runtime, req: Request, server: Bun.Server<unknown>) =>
  createVideo(rt, req, server, {
    inbound: "openai",
    read: (req, limits, server) =>
      req.headers.get("content-type")?.toLowerCase().startsWith("multipart/form-data")
        ? readFormBody(req, limits, server).then(({ form }) => readClientAsk(null, form))
        : readCallBody(req, limits, server).then(({ body }) => readClientAsk(body, null)),
    reply: videoObject,
  });

/** The caller's job, or the refusal: a bad key, or an id that is not theirs (404). */
const ownJob = (rt: Runtime, req: Bun.BunRequest<string>, server: Bun.Server<unknown>): Promise<VideoJobRow> =>
  callersJob(rt, req, server, req.params.id ?? "", notFound);

async function list(rt: Runtime, req: Request, server: Bun.Server<unknown>) {
  const { user } = await authenticate(rt, req, requestIp(rt, req, server));
  const q = new URL(req.url).searchParams;
  const limit = Math.min(100, Math.max(1, Number(q.get("limit") ?? 20) || 20));
  const order = q.get("order") === "asc" ? "asc" : "desc";
  const afterId = q.get("after");
  const after = afterId && isVideoId(afterId) ? await rt.ctx.store.videos.ofUser(afterId, user.id) : undefined;
  if (afterId && !after) throw notFound(afterId);
  const rows = await rt.ctx.store.videos.list(user.id, { after, limit: limit + 1, order });
  const page = rows.slice(0, limit).map(videoObject);
  return json({
    object: "list",
    data: page,
    first_id: page[0]?.id ?? null,
    last_id: page.at(-1)?.id ?? null,
    has_more: rows.length > limit,
  });
}

/** DELETE: cancels a running job (upstream where it can) and gives its hold back; answers OpenAI's
 * deletion object. The row stays (the job's record and its log row); a finished job keeps its charge. */
async function remove(rt: Runtime, job: VideoJobRow) {
  if ((LIVE_STATES as readonly string[]).includes(job.state)) {
    const channel = rt.ctx.snapshot.current.channelsById.get(job.channelId);
    const video = channel && providerFor(channel.type)?.video;
    const key = channel?.keys[job.keyIndex];
    // the upstream keeps making (and billing) a job it would not stop: so does apiyi
    const stopped =
      !!channel &&
      !!video?.cancel &&
      !!key &&
      (await videoRequest(channel, video.cancel(channel, key, job.upstreamId))).ok;
    if (!stopped)
      throw new AppError(
        409,
        "video_not_cancellable",
        "the upstream cannot stop this job now (some stop only jobs still queued, some none at all); it runs to its end and is billed then",
        "video_id",
        "invalid_request_error",
      );
    await endVideoJob(rt, job, { state: "cancelled", code: "cancelled", message: "cancelled by the client" });
  }
  return json({ id: job.id, object: "video.deleted", deleted: true });
}

export function videoRoutes(rt: Runtime): Record<string, Partial<Record<"GET" | "POST" | "DELETE", Handler>>> {
  return {
    "/v1/videos": {
      POST: (req, server) => create(rt, req, server),
      GET: guarded((req, server) => list(rt, req, server)),
    },
    "/v1/videos/:id": {
      GET: guarded(async (req, server) => {
        const job = await ownJob(rt, req, server);
        if ((LIVE_STATES as readonly string[]).includes(job.state)) await rt.videos.early(job);
        return json(videoObject(job));
      }),
      DELETE: guarded(async (req, server) => remove(rt, await ownJob(rt, req, server))),
    },
    "/v1/videos/:id/content": {
      GET: guarded(async (req, server) =>
        videoContent(rt, await ownJob(rt, req, server), new URL(req.url).searchParams.get("variant")),
      ),
    },
  };
}
