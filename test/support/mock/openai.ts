// Mock upstream, OpenAI wire format: the dialect (Bearer key, OpenAI error shapes) and its routes under
// /v1: chat/completions, completions, embeddings, images (generations, edits), audio (speech,
// transcriptions), responses, models; and the balance APIs of OpenAI-compatible upstreams (balances.ts).
import { BALANCE_ROUTES } from "./balances";
import { bearer, type Ctx, type Dialect } from "./core";
import { chatCompletions, completions } from "./openai-chat";
import { openaiBadRequest, openaiError, openaiStatus, openaiUnauthorized } from "./openai-errors";
import { embeddings, imageEdits, images, models, speech, transcriptions } from "./openai-media";
import { responses } from "./openai-responses";

const DEFAULT_MODELS = ["gpt-4o-mini", "gpt-4o", "text-embedding-3-small", "dall-e-3"];

const ROUTES: Record<string, (ctx: Ctx) => Response> = {
  "POST /v1/chat/completions": chatCompletions,
  "POST /v1/completions": completions,
  "POST /v1/embeddings": embeddings,
  "POST /v1/images/generations": images,
  "POST /v1/images/edits": imageEdits,
  "POST /v1/audio/speech": speech,
  "POST /v1/audio/transcriptions": transcriptions,
  "POST /v1/responses": responses,
  "GET /v1/models": (ctx) => models(ctx.models ?? DEFAULT_MODELS),
  ...BALANCE_ROUTES,
};

export const openai: Dialect = {
  key: bearer,
  unauthorized: (ctx, key) => openaiUnauthorized(key, ctx.origin),
  status: openaiStatus,
  badRequest: () => openaiBadRequest("We could not parse the JSON body of your request."),
  notFound: ({ rec }) => openaiError(404, `Invalid URL (${rec.method} ${rec.path})`, "invalid_request_error", null),
  route: (ctx) => ROUTES[`${ctx.rec.method} ${ctx.rec.path}`]?.(ctx) ?? null,
};
