// The contract of a wire folder. A provider (an upstream type) knows how to build the upstream
// request and read its replies' errors; it knows nothing of tokens, groups, quota or logs (what a
// failed reply means for the channel is decided once for every type, in core/upstream-errors.ts).
// A format knows its codec, surface, usage and model list. Add either: add a folder, list it once.
import type { ChannelEntry } from "../../core/snapshot";
import type { VideoUpstream } from "../video/contract";
import type { Codec } from "./codec";
import type { Surface } from "./surface";
import type { UsageReader } from "./usage";

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

/** What a type's base URL looks like, for validation, forms and help. */
export type BaseUrlRules = {
  /** the path a base URL given without one gets (the provider appends its endpoints to it) */
  defaultPath: string;
  /** an example, for forms and help */
  example: string;
  /** the endpoint paths the provider appends itself, as they end a URL pasted whole (cut off) */
  endpoints: RegExp;
  /** how this type's endpoint looks at the end of a URL given for another type, and what to say */
  foreign: { pattern: RegExp; hint: string };
  /** channels of this type need an api_version: an example of one */
  apiVersionExample?: string;
};

export type Provider = {
  type: string;
  baseUrl: BaseUrlRules;
  /** the endpoints this channel serves natively (in its own wire format) */
  serves(channel: ChannelEntry): ReadonlySet<Endpoint>;
  /** the upstream URL and request for one call */
  request(channel: ChannelEntry, key: string, call: UpstreamCall): { url: string; init: RequestInit };
  /** a native JSON body for the upstream: the client's with the model mapped (streams: usage asked for) */
  prepareBody(endpoint: Endpoint, body: Record<string, unknown>, upstreamModel: string, stream: boolean): string;
  /** the upstream's own error message, if its body has one */
  errorMessage(bodyText: string): string | null;
  /** the channel test: a minimal call in the type's own format, to the upstream's model `upstreamModel`
   * (a type that serves no such call, video only, has `check` instead) */
  probe?(upstreamModel: string): { endpoint: Endpoint; body: Record<string, unknown> };
  /** the channel test of a type without calls to probe: one cheap request with the key, whose 2xx
   * shows the key is accepted (not that the account has credit, nor that a model works) */
  check?(channel: ChannelEntry, key: string): { url: string; init: RequestInit };
  /** asynchronous video jobs (relay/video/), where the upstream type runs them */
  video?: VideoUpstream;
};

/** A model list in a format's own shape (GET /v1/models, /v1beta/models). */
export type ModelList = { one(id: string): unknown; list(ids: string[]): unknown };

/** What one wire/<name>/ folder is, registered once in wire/index.ts: a wire format (the endpoints
 * that speak it, its codec to and from the chat pivot, its surface, its usage reader, its model list)
 * and/or an upstream type (its provider). */
export type Wire = {
  name: string;
  /** the endpoints, client-facing or upstream, whose bodies and replies are in this format */
  endpoints?: readonly Endpoint[];
  /** translation to and from the chat pivot, for the endpoint that pivots */
  codecs?: Partial<Record<Endpoint, Codec>>;
  surface?: Surface;
  usage?: UsageReader;
  models?: ModelList;
  provider?: Provider;
};
