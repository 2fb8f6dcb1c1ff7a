// What an upstream type must provide. A provider knows how to build the upstream request and read
// its replies; it knows nothing of tokens, groups, quota or logs. Add a type: add a folder.
import type { ChannelEntry } from "../../core/snapshot";
import type { Usage } from "../../core/usage";

export type Endpoint = "chat" | "completions" | "embeddings" | "images";

/** How the relay treats a failed upstream reply. */
export type Failure =
  | "retry" // 429/500/502/503: try the next candidate
  | "key_invalid" // the upstream key is bad: take it out of rotation, try the next candidate
  | "client" // the request itself is wrong (400…): pass the error to the client
  | "server"; // another upstream error: counts against the channel, passed to the client

export type Provider = {
  type: string;
  /** the upstream URL and request for one call; `body` is what will be sent */
  request(channel: ChannelEntry, key: string, endpoint: Endpoint, body: string): { url: string; init: RequestInit };
  /** the body to send: the client's body with the model mapped (and, for streams, usage asked for) */
  prepareBody(endpoint: Endpoint, body: Record<string, unknown>, upstreamModel: string, stream: boolean): string;
  classify(status: number, bodyText: string): Failure;
  /** the upstream's own error message, if its body has one */
  errorMessage(bodyText: string): string | null;
  usageFromJson(bodyText: string): Usage | null;
  /** a minimal request body for the channel test */
  probeBody(model: string): Record<string, unknown>;
};
