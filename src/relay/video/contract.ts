// What a video job asks of an upstream, whatever shape the client used (OpenAI's /v1/videos or
// Gemini's :predictLongRunning), and what an upstream type must know to run one: submit it, poll it,
// fetch its content, cancel it, and tell an out-of-credit answer from others. A provider (wire/<type>/)
// that can run video jobs carries a VideoUpstream; it knows nothing of tokens, holds or logs.
import type { ChannelEntry } from "../../core/snapshot";
import type { UpstreamState } from "../../core/video/job-state";
import { refusals } from "../../core/refusals";

/** An image the video starts from (OpenAI's input_reference, Gemini's instance image). */
export type VideoImage = { bytes: Uint8Array<ArrayBuffer>; type: string; name: string };

/** One job as apiyi holds it: the model the upstream knows, and the billed parameters. */
export type VideoAsk = {
  model: string;
  prompt: string;
  /** the seconds held for (asked, or the model's default) */
  seconds: number;
  /** "1280x720" form, or "" for the upstream's default */
  size: string;
  image: VideoImage | null;
  /** Veo's own parameters that apiyi has no field for (negativePrompt, personGeneration, enhancePrompt,
   * seed), from a Gemini-shaped client: the Gemini upstream sends them as they are, any other refuses */
  veoParameters?: Record<string, unknown>;
};

/** The refusal (400, naming the first) of Veo parameters sent to an upstream that has no such field. */
export function refuseVeoParameters(ask: Pick<VideoAsk, "veoParameters">, upstream: string) {
  const name = Object.keys(ask.veoParameters ?? {})[0];
  if (name === undefined) return;
  throw refusals.badBody(
    `${upstream} video upstreams have no ${name}: send the request without it`,
    `parameters.${name}`,
  );
}

export type UpstreamRequest = { url: string; init: RequestInit };

/** A poll's answer, normalized: the state, and where the result is once there is one. */
export type VideoPoll = UpstreamState & {
  /** what content() needs to find the video (an upstream URL without a key, or a file id) */
  resultRef?: string;
  /** when the upstream deletes the result (ms) */
  expiresAtMs?: number;
  /** the upstream does not know the job (DashScope's UNKNOWN): asked again a few times, then failed */
  unknown?: boolean;
};

export type ContentVariant = "video" | "thumbnail" | "spritesheet";

/** Where a finished job's content is. `keyed`: the request carries the channel's key (a URL on another
 * host never does); `thenKeyless`: the keyed answer may be a redirect to a storage host, fetched once
 * more without any key (and, from there, up to 3 keyless hops), each hop through the address guard. */
export type ContentRequest = UpstreamRequest & { keyed: boolean; thenKeyless?: boolean };

export type VideoUpstream = {
  /** the submit request; throws an AppError (400, naming the field) for an ask this upstream cannot
   * make (a size, an image, a parameter it has no field for): the next channel may make it */
  submit(channel: ChannelEntry, key: string, ask: VideoAsk): UpstreamRequest;
  /** the upstream's id for the job, from the submit's JSON answer (null: the answer has none) */
  submitted(json: unknown): string | null;
  poll(channel: ChannelEntry, key: string, upstreamId: string): UpstreamRequest;
  polled(json: unknown): VideoPoll;
  /** where a finished job's content is; null: this upstream has no such variant */
  content(
    channel: ChannelEntry,
    key: string,
    job: { upstreamId: string; resultRef: string },
    variant: ContentVariant,
  ): ContentRequest | null;
  /** asks the upstream to stop a running job, where it can */
  cancel?(channel: ChannelEntry, key: string, upstreamId: string): UpstreamRequest;
  /** the answer says the upstream account is out of credit (try the next channel; never disable) */
  unfunded(status: number, bodyText: string): boolean;
};
