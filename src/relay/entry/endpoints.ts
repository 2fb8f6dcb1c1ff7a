// The inbound endpoints and what each one is: its surface (error shape), how its body is read,
// whether it streams, whether it translates through the chat pivot, and how its usage is read.
import type { UsageWire } from "../../core/usage";
import type { Endpoint } from "../wire/contract";
import { anthropicSurface, geminiSurface, openaiSurface, type Surface } from "../wire/surfaces";

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

const spec = (endpoint: Endpoint, path: string, surface: Surface, extra: Partial<EndpointSpec> = {}): EndpointSpec => ({
  endpoint,
  path,
  surface,
  body: "json",
  streamable: false,
  ...extra,
});

export const ENDPOINTS = {
  chat: spec("chat", "/v1/chat/completions", openaiSurface, { streamable: true }),
  completions: spec("completions", "/v1/completions", openaiSurface, { streamable: true }),
  embeddings: spec("embeddings", "/v1/embeddings", openaiSurface),
  images: spec("images", "/v1/images/generations", openaiSurface),
  image_edits: spec("image_edits", "/v1/images/edits", openaiSurface, { body: "multipart", perCallOnly: true }),
  speech: spec("speech", "/v1/audio/speech", openaiSurface, { perCallOnly: true, binary: true }),
  transcriptions: spec("transcriptions", "/v1/audio/transcriptions", openaiSurface, { body: "multipart", perCallOnly: true }),
  responses: spec("responses", "/v1/responses", openaiSurface, { streamable: true }),
  messages: spec("messages", "/v1/messages", anthropicSurface, { streamable: true }),
  gemini: spec("gemini", "/v1beta/models/{model}:generateContent", geminiSurface, { streamable: true }),
} satisfies Partial<Record<Endpoint, EndpointSpec>>;

/** How an upstream endpoint's replies report usage. */
export function usageWire(endpoint: Endpoint): UsageWire {
  if (endpoint === "messages" || endpoint === "count_tokens") return "anthropic";
  if (endpoint === "gemini" || endpoint === "gemini_count") return "gemini";
  return endpoint === "responses" ? "responses" : "openai";
}
