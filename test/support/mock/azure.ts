// Mock upstream, Azure OpenAI wire format: POST /openai/deployments/{deployment}/chat/completions,
// /completions and /embeddings, which require ?api-version= (else Azure's 404 "Resource not found") and
// answer like OpenAI with `model` = the deployment; also the v1 API, /openai/v1/… (model in the body).
// Key in the api-key header (or Bearer); Azure's own shapes for 401, 404 and 429.
import { bearer, type Ctx, type Dialect, json, retryHeaders } from "./core";
import { chatCompletions, completions } from "./openai-chat";
import { openaiBadRequest, openaiStatus } from "./openai-errors";
import { embeddings } from "./openai-media";
import { responses } from "./openai-responses";

const azureError = (code: number, message: string, headers: Record<string, string> = {}) =>
  json({ error: { code: String(code), message } }, code, headers);
const DEPLOYMENT = /^\/openai\/deployments\/([^/]+)\/(.+)$/;
const OPS: Record<string, (ctx: Ctx) => Response> = { "chat/completions": chatCompletions, completions, embeddings };
const V1_OPS: Record<string, (ctx: Ctx) => Response> = { ...OPS, responses };

export const azure: Dialect = {
  key: (req) => req.headers.get("api-key") ?? bearer(req),
  unauthorized: () =>
    azureError(
      401,
      "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
    ),
  status: (ctx) => {
    const { s, url } = ctx;
    if (s.status !== 429) return openaiStatus(ctx);
    const version = url.searchParams.get("api-version") ?? "2024-10-21";
    const wait = s.retryAfter ?? 60;
    const message = `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version ${version} have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after ${wait} seconds.`;
    return azureError(429, message, retryHeaders(s));
  },
  badRequest: () => openaiBadRequest("We could not parse the JSON body of your request."),
  notFound: () => azureError(404, "Resource not found"),
  model: (path) => DEPLOYMENT.exec(path)?.[1],
  route(ctx) {
    if (ctx.rec.method !== "POST") return null;
    const dep = DEPLOYMENT.exec(ctx.rec.path);
    if (dep) return ctx.url.searchParams.has("api-version") ? (OPS[dep[2]]?.(ctx) ?? null) : null;
    const v1 = /^\/openai\/v1\/(.+)$/.exec(ctx.rec.path);
    return v1 ? (V1_OPS[v1[1]]?.(ctx) ?? null) : null;
  },
};
