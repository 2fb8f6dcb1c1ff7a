// The address a request comes from, on every route (/v1 IP allowlists and logs, sign-in lock-out, the
// management API): the socket peer, or through a trusted proxy (the trusted_proxies setting, kept in
// the snapshot) the client it forwarded for.
import { clientIp } from "../core/ip";
import type { Ctx } from "../services/context";

type PeerLookup = { requestIP(req: Request): { address: string } | null } | null | undefined;

export function requestClientIp(ctx: Ctx, request: Request, server: PeerLookup): string {
  const peer = server?.requestIP(request)?.address ?? "";
  const trusted = ctx.snapshot.current.relay.trustedProxies;
  // without trusted proxies the header is never read (reading it costs every call)
  return clientIp(peer, trusted.length === 0 ? null : request.headers.get("x-forwarded-for"), trusted);
}
