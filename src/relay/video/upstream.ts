// One request of a video job to its upstream (submit, poll, cancel): through the egress guard (the
// address checked, no redirect followed: the request carries the channel's key), within a deadline,
// the answer read up to 1 MiB. Failures are said in words naming the host, never the path or a key.
import { redact } from "../../core/redact";
import type { ChannelEntry } from "../../core/snapshot";
import { describeFetchError, fetchPinned, redirectRefusal, targetFor } from "../../net/egress";
import { readCapped } from "../../net/fetch-small";
import type { UpstreamRequest } from "./contract";

export type VideoReply =
  | { ok: true; status: number; text: string; json: unknown }
  | { ok: false; status: number; text: string; cause: string };

const MAX_REPLY = 1024 * 1024;
export const VIDEO_DEADLINE_MS = 60_000;

/** `signal`: gives up early (the poller stopping); the answer is then a failure with status 0. */
export async function videoRequest(
  channel: ChannelEntry,
  r: UpstreamRequest,
  deadlineMs = VIDEO_DEADLINE_MS,
  signal?: AbortSignal,
): Promise<VideoReply> {
  let display = "the upstream";
  try {
    const target = await targetFor(r.url);
    display = target.display;
    const deadline = AbortSignal.timeout(deadlineMs);
    const res = await fetchPinned(target, {
      ...r.init,
      signal: signal ? AbortSignal.any([deadline, signal]) : deadline,
    });
    if (res.status >= 300 && res.status < 400) {
      void res.body?.cancel().catch(() => {});
      throw redirectRefusal(res, display);
    }
    const text = await readCapped(res, MAX_REPLY, display);
    if (res.status >= 400) {
      const cause = `the upstream answered ${res.status}: ${redact(text, channel.keys).slice(0, 300)}`;
      return { ok: false, status: res.status, text, cause };
    }
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, status: 502, text, cause: `${display} answered ${res.status} with a body that is not JSON` };
    }
    return { ok: true, status: res.status, text, json };
  } catch (e) {
    const timedOut = (e as Error)?.name === "TimeoutError";
    return {
      ok: false,
      status: 0,
      text: "",
      cause: timedOut ? `no answer from ${display} within ${deadlineMs} ms` : describeFetchError(e, display),
    };
  }
}
