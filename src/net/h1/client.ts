// The HTTP/1.1 client on Bun.connect that net/egress.ts's fetchPinned uses instead of Bun's fetch for
// what it can send (net/h1/request.ts says what it leaves to fetch): about a third less CPU per
// upstream call, and a genuine Response, so callers cannot tell the difference. Connects to
// target.address:port exactly (egress's checked address), Host and TLS name being the original host's.
// Abort (init.signal) at any phase closes the connection and rejects, or errors the body, with the
// signal's reason, as fetch does. Retries once on a fresh connection when a reused one closes before
// any byte of the answer (the keep-alive race: the server closed it as the request went out): always
// for idempotent methods; for others (POST) only when the connection closed before taking the whole
// request or was reset, i.e. the server cannot have read and acted on it. undici retries only
// idempotent requests and node's agent not at all; a POST here is a prompt, and a stale pooled socket
// must not turn into a failed call, while a server that read the request and then closed without
// answering is not retried.
import type { Target } from "../egress";
import type { SignalLike } from "../light-abort";
import { socketError } from "./errors";
import { Exchange, type Outcome } from "./exchange";
import { acquire, release } from "./pool";
import { type Prepared, prepare } from "./request";

function once(t: Target, p: Prepared, signal: SignalLike | null, fresh: boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    let exchange: Exchange | null = null;
    let leave: (() => void) | null = null;
    let gaveUp = false;
    const onAbort = () => {
      if (exchange) return exchange.fail(signal?.reason);
      gaveUp = true;
      leave?.();
      resolve({ error: signal?.reason, retryable: false });
    };
    const stop = () => signal?.removeEventListener("abort", onAbort);
    signal?.addEventListener("abort", onAbort, { once: true });
    acquire(t.address, t.port, p, fresh, (l) => (leave = l)).then(
      (conn) => {
        // given up while connecting or waiting: the connection, unused, serves the next request
        if (gaveUp) return release(conn, true);
        exchange = new Exchange(conn, p, (o) => {
          if (!("response" in o)) stop();
          resolve(o);
        });
        exchange.onFinished = stop;
      },
      (e) => {
        stop();
        if (!gaveUp) resolve({ error: socketError(e), retryable: false });
      },
    );
  });
}

async function run(t: Target, p: Prepared, signal: SignalLike | null): Promise<Response> {
  if (signal?.aborted) throw signal.reason;
  const first = await once(t, p, signal, false);
  if ("response" in first) return first.response;
  if (!first.retryable || signal?.aborted) throw first.error;
  const second = await once(t, p, signal, true);
  if ("response" in second) return second.response;
  throw second.error;
}

/** fetch's options, the signal an AbortSignal or a LightAbort (net/light-abort.ts) */
export type H1Init = Omit<BunFetchRequestInit, "signal"> & { signal?: SignalLike | null };

/** The request through the HTTP/1.1 client, or null when Bun's fetch must make it. `init` is the
 * pinned one (net/egress.ts): its Host header and TLS name are the original host's. */
export function h1Fetch(t: Target, init: H1Init): Promise<Response> | null {
  const p = prepare(t, init);
  return p ? run(t, p, init.signal ?? null) : null;
}
