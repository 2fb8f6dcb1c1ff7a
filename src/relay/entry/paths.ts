// The relay's surfaces as Bun routes (no framework in the hot path): OpenAI's /v1 endpoints,
// Anthropic's /v1/messages (+count_tokens), OpenAI's /v1/responses, Google's /v1beta/models/…, the
// balance endpoints of chat clients (billing-dashboard.ts), video jobs in OpenAI's and Gemini's shapes;
// anything else under /v1 or /v1beta gets a 404/405 in that surface's shape.
import { refusals } from "../../core/refusals";
import { billingRoutes } from "./billing-dashboard";
import { countCall, type Counter } from "./count";
import { ENDPOINTS, type EndpointSpec } from "./endpoints";
import { errorResponse } from "./errors";
import { listModels } from "./models";
import { relayCall } from "../pipeline";
import { geminiVideoRoutes, geminiVideoSubmit } from "../video/gemini-routes";
import { videoRoutes } from "../video/routes";
import type { Runtime } from "../../runtime";
import { surfaceOf } from "../wire";

type Handler = (req: Bun.BunRequest<string>, server: Bun.Server<unknown>) => Response | Promise<Response>;
type BunRoutes = Record<string, Partial<Record<"GET" | "POST" | "DELETE", Handler>>>;

const POSTS: Record<string, EndpointSpec> = {
  "/v1/chat/completions": ENDPOINTS.chat,
  "/v1/completions": ENDPOINTS.completions,
  "/v1/embeddings": ENDPOINTS.embeddings,
  "/v1/images/generations": ENDPOINTS.images,
  "/v1/images/edits": ENDPOINTS.image_edits,
  "/v1/audio/speech": ENDPOINTS.speech,
  "/v1/audio/transcriptions": ENDPOINTS.transcriptions,
  "/v1/responses": ENDPOINTS.responses,
  "/v1/messages": ENDPOINTS.messages,
};

const ANTHROPIC_COUNT: Counter = {
  spec: ENDPOINTS.messages,
  upstream: "count_tokens",
  local: (n) => ({ input_tokens: n }),
};
const GEMINI_COUNT: Counter = { spec: ENDPOINTS.gemini, upstream: "gemini_count", local: (n) => ({ totalTokens: n }) };

/** A path parameter, percent-decoded already by Bun's router (decoding it again turned "%25" into a
 * 500 from decodeURIComponent, and "%2541" into "A"). */
const param = (req: Bun.BunRequest<string>, name: string): string => req.params[name] ?? "";

const SSE_ONLY =
  "apiyi streams Gemini replies as server-sent events only: call :streamGenerateContent?alt=sse (as the Gemini SDKs and CLI do)";

/** POST /v1beta/models/{model}:{action}: the model and the action share the last path segment. */
function geminiCall(rt: Runtime): Handler {
  return (req, server) => {
    const target = param(req, "target");
    const at = target.lastIndexOf(":");
    const model = at > 0 ? target.slice(0, at) : "";
    const action = target.slice(at + 1);
    if (action === "generateContent") return relayCall(rt, req, server, ENDPOINTS.gemini, { model });
    if (action === "streamGenerateContent") {
      if (new URL(req.url).searchParams.get("alt") !== "sse")
        return errorResponse(refusals.badBody(SSE_ONLY, "alt"), crypto.randomUUID(), surfaceOf("gemini"));
      return relayCall(rt, req, server, ENDPOINTS.gemini, { model, stream: true });
    }
    if (action === "countTokens") return countCall(rt, req, server, GEMINI_COUNT, { model });
    if (action === "predictLongRunning") return geminiVideoSubmit(rt, req, server, model);
    return errorResponse(refusals.notFound(new URL(req.url).pathname), crypto.randomUUID(), surfaceOf("gemini"));
  };
}

export function relayRoutes(rt: Runtime): BunRoutes {
  const routes: BunRoutes = {};
  for (const [path, spec] of Object.entries(POSTS))
    routes[path] = { POST: (req, server) => relayCall(rt, req, server, spec) };
  routes["/v1/messages/count_tokens"] = { POST: (req, server) => countCall(rt, req, server, ANTHROPIC_COUNT) };
  routes["/v1/models"] = { GET: (req, server) => listModels(rt, req, server) };
  routes["/v1/models/:id"] = { GET: (req, server) => listModels(rt, req, server, param(req, "id")) };
  routes["/v1beta/models"] = { GET: (req, server) => listModels(rt, req, server, undefined, true) };
  routes["/v1beta/models/:target"] = {
    GET: (req, server) => listModels(rt, req, server, param(req, "target"), true),
    POST: geminiCall(rt),
  };
  return { ...routes, ...billingRoutes(rt), ...videoRoutes(rt), ...geminiVideoRoutes(rt) };
}

const KNOWN = new Set([
  ...Object.keys(POSTS),
  "/v1/messages/count_tokens",
  "/v1/models",
  "/v1beta/models",
  "/v1/dashboard/billing/subscription",
  "/v1/dashboard/billing/usage",
  "/v1/videos",
]);

/** For /v1 and /v1beta paths no route matched: a known path with the wrong method is 405, anything else 404. */
export function relayFallback(req: Request, path: string): Response {
  const known = KNOWN.has(path) || path.startsWith("/v1/models/") || path.startsWith("/v1beta/models/");
  const err = known ? refusals.methodNotAllowed(req.method, path) : refusals.notFound(path);
  const surface = surfaceOf(
    path.startsWith("/v1beta/") ? "gemini" : path.startsWith("/v1/messages") ? "messages" : "chat",
  );
  return errorResponse(err, crypto.randomUUID(), surface);
}
