// The OpenAI chat codec: the pivot itself, so requests and replies pass as they are; streams are
// re-serialised (with the usage chunk only for clients that asked, and [DONE] at the end).
import type { Codec, Json, SseEvent, StreamTranslator } from "../codec";

export const chat: Codec = {
  requestToChat: (body) => body,
  replyFromChat: (reply, model) => ({ ...reply, model }),
  streamFromChat({ model, includeUsage }): StreamTranslator<Json, SseEvent> {
    return {
      push: (chunk) =>
        !includeUsage && Array.isArray(chunk.choices) && chunk.choices.length === 0 && chunk.usage
          ? []
          : [{ data: chunk.error ? chunk : { ...chunk, model } }],
      end: () => [{ data: "[DONE]" }],
    };
  },
  // the openai provider's prepareBody asks a chat stream for its usage, translated or not
  requestFromChat: (body, upstreamModel) => ({ ...body, model: upstreamModel }),
  replyToChat: (reply) => reply,
  streamToChat(): StreamTranslator<SseEvent, Json> {
    return { push: (ev) => (typeof ev.data === "object" ? [ev.data] : []), end: () => [] };
  },
};
