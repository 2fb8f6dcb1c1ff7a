// The connect timeout. fetch() cannot tell connecting from waiting for an answer, so before the
// first call to an origin (and again after 30 s without a success there) a bare TCP connect is
// tried within the channel's timeout_connect_ms; a host that does not answer fails over in
// seconds instead of waiting out the first-byte timeout. Warm origins pay nothing. The connect goes to
// the address the egress guard checked (net/egress.ts), never to a name resolved again here.
const FRESH_MS = 30_000;
const reachedAt = new Map<string, number>();

function hostPort(url: URL): { hostname: string; port: number } {
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  return { hostname: url.hostname.replace(/^\[|\]$/g, ""), port };
}

export type Reach = "ok" | "timeout" | "error";

/** Whether the host accepts a TCP connection within `timeoutMs`; `onError` hears the error's code. */
export function tcpConnect(
  hostname: string,
  port: number,
  timeoutMs: number,
  onError?: (code: string) => void,
): Promise<Reach> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (r: Reach) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => settle("timeout"), timeoutMs);
    const fail = (e: unknown) => {
      if (!settled) onError?.(String((e as { code?: unknown })?.code ?? ""));
      settle("error");
    };
    Bun.connect({
      hostname,
      port,
      socket: {
        open(socket) {
          socket.end();
          settle("ok");
        },
        data() {},
        error: (_s, e) => fail(e),
        connectError: (_s, e) => fail(e),
      },
    }).catch(fail);
  });
}

/** Has a call to this base URL succeeded lately? (keyed by the string: the warm path parses nothing) */
export const isWarm = (baseUrl: string) => Date.now() - (reachedAt.get(baseUrl) ?? 0) < FRESH_MS;

/** Probes the base URL's host with a bare TCP connect: to `target` (the checked address) when given. */
export async function probeOrigin(
  baseUrl: string,
  timeoutMs: number,
  target?: { address: string; port: number },
  onError?: (code: string) => void,
): Promise<Reach> {
  const { hostname, port } = target ? { hostname: target.address, port: target.port } : hostPort(new URL(baseUrl));
  const r = await tcpConnect(hostname, port, timeoutMs, onError);
  if (r === "ok") reachedAt.set(baseUrl, Date.now());
  return r;
}

/** A successful call proves the base URL's host reachable for a while. */
export const markReachable = (baseUrl: string) => void reachedAt.set(baseUrl, Date.now());
