// Gemini's long-running video routes on /v1beta (what @google/genai calls), with the apiyi key in any
// of Gemini's forms (x-goog-api-key, ?key=, Bearer) and errors in Google's shape:
// - POST /v1beta/models/{model}:predictLongRunning (dispatched from entry/paths.ts) → {name};
// - GET /v1beta/models/{model}/operations/{id} (and /v1beta/operations/{id}) → the operation; a
//   look at a live job may bring its next poll forward;
// - GET /v1beta/files/{fileId}:download?alt=media → the video, streamed through apiyi. genai's
//   files.download keeps only the id of the operation's uri and asks its own base URL for it.
// A key sees only its owner's jobs: anyone else's is 404.
import { VIDEO_ID_PREFIX } from "../../core/video/ids";
import { AppError } from "../../errors";
import type { Runtime } from "../../runtime";
import { readSettings } from "../../services/settings";
import { LIVE_STATES } from "../../store/videos";
import { readCallBody } from "../checks/body";
import { surfaceOf } from "../wire";
import { callersJob, createVideo, guarded, type Handler } from "./calls";
import { videoContent } from "./content";
import { operationName, operationOf, readGeminiAsk } from "./gemini-shape";

const surface = surfaceOf("gemini");
const notFound = (what: string) => (id: string) =>
  new AppError(404, "not_found", `${what} ${id.slice(0, 80)} was not found for this API key`, null);

/** POST /v1beta/models/{model}:predictLongRunning → {name: "models/{model}/operations/{id}"}. */
export const geminiVideoSubmit = (rt: Runtime, req: Request, server: Bun.Server<unknown>, model: string) =>
  createVideo(rt, req, server, {
    inbound: "gemini",
    surface,
    read: (req, limits, server) => readCallBody(req, limits, server, model).then(({ body }) => readGeminiAsk(body)),
    reply: (job) => ({ name: operationName(job) }),
  });

/** Where the operation's video uri points: public_url, or else the request's own origin. */
const filesOrigin = (rt: Runtime, req: Request) => readSettings(rt.ctx).public_url || new URL(req.url).origin;

const operation = (rt: Runtime): Handler =>
  guarded(async (req, server) => {
    const job = await callersJob(rt, req, server, req.params.id ?? "", notFound("Operation"));
    if ((LIVE_STATES as readonly string[]).includes(job.state)) await rt.videos.early(job);
    return Response.json(operationOf(job, filesOrigin(rt, req)));
  }, surface);

/** GET /v1beta/files/{id}:download: the job whose Gemini file id this is (video_ + id). */
const download = (rt: Runtime): Handler =>
  guarded(async (req, server) => {
    const target = req.params.target ?? "";
    const at = target.indexOf(":");
    const [id, action] = at < 0 ? [target, ""] : [target.slice(0, at), target.slice(at + 1)];
    if (action !== "download") throw notFound("File")(target);
    const job = await callersJob(rt, req, server, VIDEO_ID_PREFIX + id, () => notFound("File")(id));
    return videoContent(rt, job, "video");
  }, surface);

export function geminiVideoRoutes(rt: Runtime): Record<string, Partial<Record<"GET", Handler>>> {
  return {
    "/v1beta/models/:model/operations/:id": { GET: operation(rt) },
    "/v1beta/operations/:id": { GET: operation(rt) },
    "/v1beta/files/:target": { GET: download(rt) },
  };
}
