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
import { wireNamed } from "../wire";

/** The list's format: Google's on /v1beta, Anthropic's when the client sends anthropic-version. */
const formatOf = (req: Request, gemini: boolean) =>
  wireNamed(gemini ? "gemini" : req.headers.has("anthropic-version") ? "anthropic" : "openai");

export async function listModels(
  rt: Runtime,
  req: Request,
  server: Bun.Server<unknown>,
  id?: string,
  gemini = false,
): Promise<Response> {
  const requestId = crypto.randomUUID();
  const wire = formatOf(req, gemini);
  const shape = wire.models!;
  try {
    const { token } = await authenticate(rt, req, requestIp(rt, req, server));
    const snap = rt.ctx.snapshot.current;
    const billable = (model: string) =>
      !(decideBilling(token.billingMode, snap.prices.get(model), model) instanceof AppError);
    const models = reachableModels(snap.routes, tokenGroups(token), token.models, billable);
    const headers = { "x-request-id": requestId };
    if (id === undefined) return Response.json(shape.list(models), { headers });
    if (!models.includes(id)) throw refusals.modelNotFound(id);
    return Response.json(shape.one(id), { headers });
  } catch (e) {
    return errorResponse(e, requestId, wire.surface!); // logs what is unexpected
  }
}
