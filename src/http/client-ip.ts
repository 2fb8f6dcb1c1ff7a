// The address a request comes from, on every route (/v1 IP allowlists and logs, sign-in lock-out, the
// management API): the socket peer, or through a trusted proxy (the trusted_proxies setting, kept in
// the snapshot) the client it forwarded for.
import { clientIp } from "../core/ip";
import type { Ctx } from "../services/context";

type PeerLookup = { requestIP(req: Request): { address: string } | null } | null | undefined;

export const requestClientIp = (ctx: Ctx, request: Request, server: PeerLookup) =>
  clientIp(
    server?.requestIP(request)?.address ?? "",
    request.headers.get("x-forwarded-for"),
    ctx.snapshot.current.relay.trustedProxies,
  );
