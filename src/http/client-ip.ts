// The address a request comes from, outside /v1 (sign-in lock-out, console, management API): the
// socket peer, or through a trusted proxy (the trusted_proxies setting, kept in the snapshot) the
// client it forwarded for. The relay resolves its callers the same way (core/ip.ts clientIp).
import { clientIp } from "../core/ip";
import type { Ctx } from "../services/context";

type PeerLookup = { requestIP(req: Request): { address: string } | null } | null | undefined;

export const requestClientIp = (ctx: Ctx, request: Request, server: PeerLookup) =>
  clientIp(server?.requestIP(request)?.address ?? "", request.headers.get("x-forwarded-for"), ctx.snapshot.current.relay.trustedProxies);
