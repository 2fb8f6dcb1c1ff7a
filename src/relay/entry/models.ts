// The model lists: only the models this key can reach through its groups and whitelist (and its
// billing mode can bill), in the shape the client expects: OpenAI's (GET /v1/models), Anthropic's
// (the same path with an anthropic-version header) or Google's (GET /v1beta/models).
import { tokenGroups } from "../../core/access";
import { decideBilling } from "../../core/billing";
import { refusals } from "../../core/refusals";
import { reachableModels } from "../../core/routing";
import { AppError } from "../../errors";
import { authenticate } from "../checks/auth";
import { errorResponse } from "./errors";
import { requestIp } from "../pipeline";
import type { Runtime } from "../../runtime";
import { anthropicSurface, geminiSurface, openaiSurface, type Surface } from "../wire/surfaces";

const CREATED = 1_700_000_000;

type Shape = { surface: Surface; one: (id: string) => unknown; list: (ids: string[]) => unknown };

const OPENAI: Shape = {
  surface: openaiSurface,
  one: (id) => ({ id, object: "model", created: CREATED, owned_by: "apiyi" }),
  list: (ids) => ({ object: "list", data: ids.map(OPENAI.one) }),
};

const ANTHROPIC: Shape = {
  surface: anthropicSurface,
  one: (id) => ({ type: "model", id, display_name: id, created_at: new Date(CREATED * 1000).toISOString() }),
  list: (ids) => ({ data: ids.map(ANTHROPIC.one), has_more: false, first_id: ids[0] ?? null, last_id: ids.at(-1) ?? null }),
};

const GEMINI: Shape = {
  surface: geminiSurface,
  one: (id) => ({ name: `models/${id}`, displayName: id, supportedGenerationMethods: ["generateContent", "streamGenerateContent", "countTokens"] }),
  list: (ids) => ({ models: ids.map(GEMINI.one) }),
};

export async function listModels(rt: Runtime, req: Request, server: Bun.Server<unknown>, id?: string, gemini = false): Promise<Response> {
  const requestId = crypto.randomUUID();
  const shape = gemini ? GEMINI : req.headers.has("anthropic-version") ? ANTHROPIC : OPENAI;
  try {
    const { token } = await authenticate(rt, req, requestIp(rt, req, server));
    const snap = rt.ctx.snapshot.current;
    const billable = (model: string) => !(decideBilling(token.billingMode, snap.prices.get(model), model) instanceof AppError);
    const models = reachableModels(snap.routes, tokenGroups(token), token.models, billable);
    const headers = { "x-request-id": requestId };
    if (id === undefined) return Response.json(shape.list(models), { headers });
    if (!models.includes(id)) throw refusals.modelNotFound(id);
    return Response.json(shape.one(id), { headers });
  } catch (e) {
    return errorResponse(e, requestId, shape.surface); // logs what is unexpected
  }
}
