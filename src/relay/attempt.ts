// One upstream attempt: send, wait for the reply's headers within the channel's first-byte timeout,
// keep the socket's idle timeout for the body, follow the client's disconnect. Classifies failures.
import type { ChannelEntry } from "../core/snapshot";
import { isWarm, markReachable, probeOrigin } from "./connect-check";
import type { Failure, Provider, UpstreamCall } from "./providers/types";

export type AttemptOk = { ok: true; response: Response; ms: number; abort: () => void };
export type AttemptFailed = {
  ok: false;
  /** client_gone: the client hung up while we waited; no fault of the upstream's */
  failure: Failure | "network" | "timeout" | "client_gone";
  status: number;
  body: string;
  retryAfter: string | null;
  ms: number;
  /** fetch() was called for it: the upstream is taken to have the request (why: at the fetch below) */
  sent: boolean;
};

export async function attemptUpstream(
  provider: Provider,
  channel: ChannelEntry,
  key: string,
  call: UpstreamCall,
  clientSignal: AbortSignal,
): Promise<AttemptOk | AttemptFailed> {
  const started = performance.now();
  const { url, init } = provider.request(channel, key, call);
  if (!isWarm(channel.baseUrl)) {
    const reach = await probeOrigin(channel.baseUrl, channel.timeouts.connectMs);
    if (reach !== "ok") return { ok: false, failure: reach === "timeout" ? "timeout" : "network", status: 0, body: "", retryAfter: null, ms: performance.now() - started, sent: false };
  }
  // gone during the connect check: nothing was sent, nothing is owed
  if (clientSignal.aborted) return { ok: false, failure: "client_gone", status: 0, body: "", retryAfter: null, ms: performance.now() - started, sent: false };
  const controller = new AbortController();
  const abort = () => controller.abort();
  const firstByte = setTimeout(() => controller.abort("first_byte_timeout"), channel.timeouts.firstByteMs);
  clientSignal.addEventListener("abort", abort, { once: true });
  try {
    // "Sent": Bun's fetch writes a body held in memory (JSON text, form data) in one go as soon as
    // its connection is open, and tells JS nothing of that write. The connection is known to open
    // (a pooled one, or the origin the connect check just reached), so from this call on the
    // upstream is taken to have the prompt: a client that leaves now owes at least its prompt.
    // gaps between body chunks are bounded by relay/watchdog.ts (Bun's fetch `timeout` does not)
    const response = await fetch(url, { ...init, signal: controller.signal });
    clearTimeout(firstByte);
    markReachable(channel.baseUrl);
    const ms = performance.now() - started;
    if (response.ok) return { ok: true, response, ms, abort };
    const text = await response.text().catch(() => "");
    clientSignal.removeEventListener("abort", abort);
    return {
      ok: false,
      failure: provider.classify(response.status, text),
      status: response.status,
      body: text,
      retryAfter: response.headers.get("retry-after"),
      ms,
      sent: true,
    };
  } catch {
    clearTimeout(firstByte);
    clientSignal.removeEventListener("abort", abort);
    const timedOut = controller.signal.reason === "first_byte_timeout";
    const failure = clientSignal.aborted ? "client_gone" : timedOut ? "timeout" : "network";
    return { ok: false, failure, status: 0, body: "", retryAfter: null, ms: performance.now() - started, sent: true };
  }
}
