// The /v1 surface as Bun routes (no framework in the hot path): each endpoint goes to the pipeline;
// anything else under /v1 gets an OpenAI-shaped 404/405.
import { refusals } from "../core/refusals";
import { errorResponse } from "./errors";
import { listModels } from "./models";
import { relayCall } from "./pipeline";
import type { Endpoint } from "./providers/types";
import type { Runtime } from "./runtime";

type Handler = (req: Request, server: Bun.Server<unknown>) => Response | Promise<Response>;
type BunRoutes = Record<string, Partial<Record<"GET" | "POST", Handler>>>;

const ENDPOINTS: Record<string, Endpoint> = {
  "/v1/chat/completions": "chat",
  "/v1/completions": "completions",
  "/v1/embeddings": "embeddings",
  "/v1/images/generations": "images",
};

export function relayRoutes(rt: Runtime): BunRoutes {
  const routes: BunRoutes = {};
  for (const [path, endpoint] of Object.entries(ENDPOINTS)) {
    routes[path] = { POST: (req, server) => relayCall(rt, req, server, endpoint) };
  }
  routes["/v1/models"] = { GET: (req, server) => listModels(rt, req, server) };
  routes["/v1/models/:id"] = { GET: (req, server) => listModels(rt, req, server, decodeURIComponent((req as Bun.BunRequest<"/v1/models/:id">).params.id)) };
  return routes;
}

/** For /v1 paths no route matched: a known path with the wrong method is 405, anything else 404. */
export function relayFallback(req: Request, path: string): Response {
  const known = path in ENDPOINTS || path === "/v1/models" || path.startsWith("/v1/models/");
  const err = known ? refusals.methodNotAllowed(req.method, path) : refusals.notFound(path);
  return errorResponse(err, crypto.randomUUID());
}
