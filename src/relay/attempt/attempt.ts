// One upstream attempt: through the egress guard (checked address, no redirects followed), wait for
// the reply's headers within the channel's first-byte timeout, keep the socket's idle timeout for the
// body, follow the client's disconnect. Classifies failures (core/upstream-errors.ts) and says in
// words what went wrong (`cause`, for the admin: attempts log, channel status, Test result).
import { redact } from "../../core/redact";
import type { ChannelEntry } from "../../core/snapshot";
import { classifyUpstreamError, type UpstreamFailure } from "../../core/upstream-errors";
import {
  describeFetchError,
  EgressError,
  fetchPinned,
  redirectRefusal,
  targetFor,
  type Target,
} from "../../net/egress";
import { DIRECT_BODY } from "../../net/h1/source";
import { LightAbort } from "../../net/light-abort";
import { isWarm, markReachable, probeOrigin } from "./connect-check";
import type { Provider, UpstreamCall } from "../wire/contract";

export type AttemptOk = { ok: true; response: Response; ms: number; abort: () => void };
export type AttemptFailure = UpstreamFailure | "network" | "timeout" | "refused" | "client_gone";
export type AttemptFailed = {
  ok: false;
  /** client_gone: the client hung up while we waited; no fault of the upstream's */
  failure: AttemptFailure;
  status: number;
  body: string;
  retryAfter: string | null;
  ms: number;
  /** what happened, for the admin: "connection refused to host:port", "the upstream answered 401: …" */
  cause: string;
  /** fetch() was called for it: the upstream is taken to have the request (why: at the fetch below) */
  sent: boolean;
};

const failed = (failure: AttemptFailure, cause: string, started: number, sent = false): AttemptFailed => ({
  ok: false,
  failure,
  status: 0,
  body: "",
  retryAfter: null,
  ms: performance.now() - started,
  cause,
  sent,
});

/** The upstream's own words about an error reply, without the channel's keys or any URL. */
function replyCause(provider: Provider, channel: ChannelEntry, status: number, text: string) {
  const message = provider.errorMessage(text);
  return `the upstream answered ${status}${message ? `: ${redact(message, channel.keys).slice(0, 300)}` : ""}`;
}

export async function attemptUpstream(
  provider: Provider,
  channel: ChannelEntry,
  key: string,
  call: UpstreamCall,
  clientSignal: AbortSignal,
  /** the relay's own calls: a 2xx body comes as chunks (net/h1/source.ts; respond/ reads them) */
  direct = false,
): Promise<AttemptOk | AttemptFailed> {
  const started = performance.now();
  const { url, init } = provider.request(channel, key, call);
  let target: Target;
  try {
    target = await targetFor(url);
  } catch (e) {
    return failed(
      e instanceof EgressError && e.kind === "refused" ? "refused" : "network",
      describeFetchError(e, ""),
      started,
    );
  }
  if (!isWarm(channel.baseUrl)) {
    let code = "";
    const reach = await probeOrigin(channel.baseUrl, channel.timeouts.connectMs, target, (c) => (code = c));
    if (reach === "timeout")
      return failed(
        "timeout",
        `timeout connecting to ${target.display} after ${channel.timeouts.connectMs} ms`,
        started,
      );
    if (reach !== "ok") return failed("network", describeFetchError({ code }, target.display), started);
  }
  // gone during the connect check: nothing was sent, nothing is owed
  if (clientSignal.aborted) return failed("client_gone", "the client closed the connection", started);
  const controller = new LightAbort();
  const abort = () => controller.abort();
  const firstByte = setTimeout(() => controller.abort("first_byte_timeout"), channel.timeouts.firstByteMs);
  clientSignal.addEventListener("abort", abort, { once: true });
  try {
    // "Sent": the upstream client (net/h1, or Bun's fetch for what it leaves to fetch) writes a body
    // held in memory (JSON text, form data) in one go as soon as its connection is open, and tells JS
    // nothing of that write. The connection is known to open
    // (a pooled one, or the origin the connect check just reached), so from this call on the
    // upstream is taken to have the prompt: a client that leaves now owes at least its prompt.
    // gaps between body chunks are bounded by relay/attempt/watchdog.ts (Bun's fetch `timeout` does not)
    const response = await fetchPinned(target, { ...init, signal: controller, [DIRECT_BODY]: direct });
    clearTimeout(firstByte);
    markReachable(channel.baseUrl);
    const ms = performance.now() - started;
    if (response.ok) return { ok: true, response, ms, abort };
    clientSignal.removeEventListener("abort", abort);
    if (response.status >= 300 && response.status < 400) {
      // never relayed, never followed: no key or prompt goes where it points
      void response.body?.cancel().catch(() => {});
      return {
        ...failed("redirect", redirectRefusal(response, url).message, started, true),
        status: response.status,
        ms,
      };
    }
    const text = await response.text().catch(() => "");
    return {
      ok: false,
      failure: classifyUpstreamError(response.status, text, provider.type),
      status: response.status,
      body: text,
      retryAfter: response.headers.get("retry-after"),
      ms,
      cause: replyCause(provider, channel, response.status, text),
      sent: true,
    };
  } catch (e) {
    clearTimeout(firstByte);
    clientSignal.removeEventListener("abort", abort);
    if (clientSignal.aborted) return failed("client_gone", "the client closed the connection", started, true);
    if (controller.reason === "first_byte_timeout") {
      return failed(
        "timeout",
        `timeout: no answer from ${target.display} within ${channel.timeouts.firstByteMs} ms`,
        started,
        true,
      );
    }
    return failed("network", describeFetchError(e, target.display), started, true);
  }
}
