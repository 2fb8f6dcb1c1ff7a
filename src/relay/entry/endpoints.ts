// The inbound endpoints and what each one is: its surface (error shape), how its body is read,
// whether it streams, and how it is billed. What its format means (codec, usage) is in wire/.
import type { Endpoint } from "../wire/contract";
import { surfaceOf } from "../wire";
import type { Surface } from "../wire/surface";

export type EndpointSpec = {
  endpoint: Endpoint;
  /** the path clients call, for messages */
  path: string;
  surface: Surface;
  body: "json" | "multipart";
  /** the client may ask for a stream (body.stream, or Gemini's streamGenerateContent) */
  streamable: boolean;
  /** billed per call whatever the key's billing mode (no usage to meter yet: audio, image edits) */
  perCallOnly?: boolean;
  /** the reply is not JSON text (audio): passed through as bytes */
  binary?: boolean;
};

const spec = (endpoint: Endpoint, path: string, extra: Partial<EndpointSpec> = {}): EndpointSpec => ({
  endpoint,
  path,
  surface: surfaceOf(endpoint),
  body: "json",
  streamable: false,
  ...extra,
});

export const ENDPOINTS = {
  chat: spec("chat", "/v1/chat/completions", { streamable: true }),
  completions: spec("completions", "/v1/completions", { streamable: true }),
  embeddings: spec("embeddings", "/v1/embeddings"),
  images: spec("images", "/v1/images/generations"),
  image_edits: spec("image_edits", "/v1/images/edits", { body: "multipart", perCallOnly: true }),
  speech: spec("speech", "/v1/audio/speech", { perCallOnly: true, binary: true }),
  transcriptions: spec("transcriptions", "/v1/audio/transcriptions", { body: "multipart", perCallOnly: true }),
  responses: spec("responses", "/v1/responses", { streamable: true }),
  messages: spec("messages", "/v1/messages", { streamable: true }),
  gemini: spec("gemini", "/v1beta/models/{model}:generateContent", { streamable: true }),
} satisfies Partial<Record<Endpoint, EndpointSpec>>;
