// What an upstream type must provide. A provider knows how to build the upstream request and read
// its replies' errors; it knows nothing of tokens, groups, quota or logs (what a failed reply means for
// the channel is decided once for every type, in core/upstream-errors.ts). Add a type: add a folder.
import type { ChannelEntry } from "../../core/snapshot";

/** What a call asks for: the inbound endpoints, and (the same names) what is sent upstream. */
export type Endpoint =
  | "chat"
  | "completions"
  | "embeddings"
  | "images"
  | "image_edits"
  | "speech"
  | "transcriptions"
  | "responses"
  | "messages"
  | "count_tokens"
  | "gemini"
  | "gemini_count";

export type UpstreamCall = {
  /** what the upstream is asked to do (after translation) */
  endpoint: Endpoint;
  /** the model the upstream knows (after mapping) */
  model: string;
  stream: boolean;
  /** the client's request headers: a provider forwards the few its API defines (anthropic-beta…) */
  headers: Headers;
  /** JSON text, or form data for multipart endpoints */
  body: string | FormData;
};

export type Provider = {
  type: string;
  /** the endpoints this channel serves natively (in its own wire format) */
  serves(channel: ChannelEntry): ReadonlySet<Endpoint>;
  /** the upstream URL and request for one call */
  request(channel: ChannelEntry, key: string, call: UpstreamCall): { url: string; init: RequestInit };
  /** a native JSON body for the upstream: the client's with the model mapped (streams: usage asked for) */
  prepareBody(endpoint: Endpoint, body: Record<string, unknown>, upstreamModel: string, stream: boolean): string;
  /** the upstream's own error message, if its body has one */
  errorMessage(bodyText: string): string | null;
  /** a minimal request for the channel test */
  probe(model: string): { endpoint: Endpoint; body: Record<string, unknown> };
};
