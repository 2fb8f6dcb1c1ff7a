// GET /v1/models and /v1/models/:id: only the models this key can reach through its groups and
// whitelist, in OpenAI's list shape.
import { tokenGroups } from "../core/access";
import { decideBilling } from "../core/billing";
import { clientIp } from "../core/ip";
import { refusals } from "../core/refusals";
import { reachableModels } from "../core/routing";
import { AppError } from "../errors";
import { authenticate } from "./auth";
import { errorResponse } from "./errors";
import type { Runtime } from "./runtime";

const CREATED = 1_700_000_000;
const modelObject = (id: string) => ({ id, object: "model", created: CREATED, owned_by: "apiyi" });

export function listModels(rt: Runtime, req: Request, server: Bun.Server<unknown>, id?: string): Response {
  const requestId = crypto.randomUUID();
  try {
    const ip = clientIp(server.requestIP(req)?.address ?? "", req.headers.get("x-forwarded-for"), rt.ctx.snapshot.current.relay.trustedProxies);
    const { token } = authenticate(rt, req, ip);
    const snap = rt.ctx.snapshot.current;
    const billable = (model: string) => !(decideBilling(token.billingMode, snap.prices.get(model), model) instanceof AppError);
    const models = reachableModels(snap.routes, tokenGroups(token), token.models, billable);
    const headers = { "x-request-id": requestId };
    if (id === undefined) return Response.json({ object: "list", data: models.map(modelObject) }, { headers });
    if (!models.includes(id)) throw refusals.modelNotFound(id);
    return Response.json(modelObject(id), { headers });
  } catch (e) {
    return errorResponse(e instanceof AppError ? e : refusals.internal(), requestId);
  }
}
