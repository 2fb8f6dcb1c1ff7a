// The steps every inbound video shape shares (OpenAI's /v1/videos, Gemini's :predictLongRunning and
// operations): a submit call (the key's checks, the body read within the limits, the job submitted;
// a refusal logged as the call's own and answered in the shape's error form), the caller's own job by
// its id (another owner's reads as not found), and a read answered in the shape's error form.
import { VIDEO_LOGS } from "../../core/status";
import { refusals } from "../../core/refusals";
import { isVideoId } from "../../core/video/ids";
import type { VideoJobRow } from "../../db/schema";
import type { AppError } from "../../errors";
import type { Runtime } from "../../runtime";
import { authenticate } from "../checks/auth";
import { callError, errorResponse } from "../entry/errors";
import { requestIp } from "../pipeline";
import { finishCall } from "../settle/finish";
import { newCall } from "../settle/record";
import type { Surface } from "../wire/surface";
import type { ClientAsk } from "./openai-shape";
import { submitVideo } from "./submit";

export type Handler = (req: Bun.BunRequest<string>, server: Bun.Server<unknown>) => Response | Promise<Response>;
export type BodyLimits = { maxBytes: number; deadlineMs: number };

type Create = {
  inbound: "openai" | "gemini";
  surface?: Surface;
  /** the client's ask, from its request (the body read within `limits`) */
  read(req: Request, limits: BodyLimits, server: Bun.Server<unknown>): Promise<ClientAsk>;
  /** the reply to an accepted job */
  reply(job: VideoJobRow): unknown;
};

/** A submit call: the job's reply, or the refusal (the call logged with it). */
export async function createVideo(rt: Runtime, req: Request, server: Bun.Server<unknown>, how: Create) {
  const call = newCall(VIDEO_LOGS.endpoint, requestIp(rt, req, server));
  try {
    if (rt.life.draining) throw refusals.shuttingDown();
    const who = await authenticate(rt, req, call.ip, call);
    const limits = { maxBytes: rt.maxBodyBytes, deadlineMs: rt.ctx.snapshot.current.relay.bodyTimeoutMs };
    const ask = await how.read(req, limits, server);
    server.timeout(req, 0);
    const job = await submitVideo(rt, call, who, ask, how.inbound);
    return Response.json(how.reply(job));
  } catch (e) {
    const err = callError(e, call.requestId);
    finishCall(rt, call, { status: err.status, errorCode: err.code, message: err.message });
    return errorResponse(err, call.requestId, how.surface);
  }
}

/** The caller's job `id`, or the refusal: a bad key, or an id that is not theirs (`notFound`). */
export async function callersJob(
  rt: Runtime,
  req: Request,
  server: Bun.Server<unknown>,
  id: string,
  notFound: (id: string) => AppError,
): Promise<VideoJobRow> {
  const { user } = await authenticate(rt, req, requestIp(rt, req, server));
  const job = isVideoId(id) ? await rt.ctx.store.videos.ofUser(id, user.id) : undefined;
  if (!job) throw notFound(id);
  return job;
}

/** A read of the caller's jobs: any refusal answered in the surface's error shape. */
export const guarded =
  (
    handle: (req: Bun.BunRequest<string>, server: Bun.Server<unknown>) => Promise<Response>,
    surface?: Surface,
  ): Handler =>
  async (req, server) => {
    const requestId = crypto.randomUUID();
    try {
      return await handle(req, server);
    } catch (e) {
      return errorResponse(callError(e, requestId), requestId, surface);
    }
  };
