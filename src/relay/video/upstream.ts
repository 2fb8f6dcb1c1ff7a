// One request of a video job to its upstream (submit, poll, cancel): through the egress guard (the
// address checked, no redirect followed: the request carries the channel's key), within a deadline,
// the answer read up to 1 MiB. Failures are said in words naming the host, never the path or a key.
import { redact } from "../../core/redact";
import type { ChannelEntry } from "../../core/snapshot";
import { requestSmall } from "../../net/fetch-small";
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
  let reply: Awaited<ReturnType<typeof requestSmall>>;
  try {
    reply = await requestSmall(r.url, r.init, { deadlineMs, maxBytes: MAX_REPLY, signal });
  } catch (e) {
    return { ok: false, status: 0, text: "", cause: (e as Error).message };
  }
  const { status, text, display } = reply;
  if (status >= 400) {
    const cause = `the upstream answered ${status}: ${redact(text, channel.keys).slice(0, 300)}`;
    return { ok: false, status, text, cause };
  }
  try {
    return { ok: true, status, text, json: JSON.parse(text) };
  } catch {
    return { ok: false, status: 502, text, cause: `${display} answered ${status} with a body that is not JSON` };
  }
}
