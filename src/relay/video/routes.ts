// OpenAI's video routes on /v1 (what the `openai` SDK's client.videos.* calls): create (JSON or
// multipart), retrieve, list (cursor: after, limit, order), delete (a running job is cancelled upstream
// where it can be, its hold released; a finished job's charge stays), and content (streamed through
// apiyi with the key's auth; never a redirect to an URL that carries an upstream key). A key sees only
// its owner's jobs: anyone else's id is 404.
import { refusals } from "../../core/refusals";
import { isVideoId } from "../../core/video/ids";
import type { VideoJobRow } from "../../db/schema";
import { AppError } from "../../errors";
import type { Runtime } from "../../runtime";
import { authenticate } from "../checks/auth";
import { readCallBody, readFormBody } from "../checks/body";
import { callError, errorResponse } from "../entry/errors";
import { requestIp } from "../pipeline";
import { finishCall } from "../settle/finish";
import { newCall } from "../settle/record";
import { LIVE_STATES } from "../../store/videos";
import { videoContent } from "./content";
import { endVideoJob } from "./end";
import { readClientAsk, videoObject } from "./openai-shape";
import { submitVideo } from "./submit";
import { videoRequest } from "./upstream";
import { providerFor } from "../wire";

type Handler = (req: Bun.BunRequest<string>, server: Bun.Server<unknown>) => Response | Promise<Response>;

const json = (body: unknown, status = 200) => Response.json(body, { status });
const notFound = (id: string) =>
  new AppError(
    404,
    "not_found",
    `no video job ${id.slice(0, 80)} for this API key`,
    "video_id",
    "invalid_request_error",
  );

async function create(rt: Runtime, req: Request, server: Bun.Server<unknown>) {
  const call = newCall("videos", requestIp(rt, req, server));
  try {
    if (rt.life.draining) throw refusals.shuttingDown();
    const who = await authenticate(rt, req, call.ip, call);
    const limits = { maxBytes: rt.maxBodyBytes, deadlineMs: rt.ctx.snapshot.current.relay.bodyTimeoutMs };
    const multipart = req.headers.get("content-type")?.toLowerCase().startsWith("multipart/form-data");
    const ask = multipart
      ? await readFormBody(req, limits, server).then(({ form }) => readClientAsk(null, form))
      : await readCallBody(req, limits, server).then(({ body }) => readClientAsk(body, null));
    server.timeout(req, 0);
    const job = await submitVideo(rt, call, who, ask, "openai");
    return json(videoObject(job));
  } catch (e) {
    const err = callError(e, call.requestId);
    finishCall(rt, call, { status: err.status, errorCode: err.code, message: err.message });
    return errorResponse(err, call.requestId);
  }
}

/** The caller's job, or the refusal: a bad key, or an id that is not theirs (404). */
async function ownJob(rt: Runtime, req: Bun.BunRequest<string>, server: Bun.Server<unknown>): Promise<VideoJobRow> {
  const { user } = await authenticate(rt, req, requestIp(rt, req, server));
  const id = req.params.id ?? "";
  const job = isVideoId(id) ? rt.ctx.store.videos.ofUser(id, user.id) : undefined;
  if (!job) throw notFound(id);
  return job;
}

/** A read of the caller's jobs: any refusal answered in OpenAI's error shape. */
const guarded =
  (handle: (req: Bun.BunRequest<string>, server: Bun.Server<unknown>) => Promise<Response>): Handler =>
  async (req, server) => {
    const requestId = crypto.randomUUID();
    try {
      return await handle(req, server);
    } catch (e) {
      return errorResponse(callError(e, requestId), requestId);
    }
  };

async function list(rt: Runtime, req: Request, server: Bun.Server<unknown>) {
  const { user } = await authenticate(rt, req, requestIp(rt, req, server));
  const q = new URL(req.url).searchParams;
  const limit = Math.min(100, Math.max(1, Number(q.get("limit") ?? 20) || 20));
  const order = q.get("order") === "asc" ? "asc" : "desc";
  const afterId = q.get("after");
  const after = afterId && isVideoId(afterId) ? rt.ctx.store.videos.ofUser(afterId, user.id) : undefined;
  if (afterId && !after) throw notFound(afterId);
  const rows = rt.ctx.store.videos.list(user.id, { after, limit: limit + 1, order });
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
    if (channel && video?.cancel && key) await videoRequest(channel, video.cancel(channel, key, job.upstreamId));
    endVideoJob(rt, job, { state: "cancelled", code: "cancelled", message: "cancelled by the client" });
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
        if ((LIVE_STATES as readonly string[]).includes(job.state)) rt.videos.early(job);
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
