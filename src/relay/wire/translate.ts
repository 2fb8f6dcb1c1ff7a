// Translation between a client's wire format and an upstream's, through the chat pivot: the codec
// per format, and the composed request / reply / stream translations of one call.
import type { Endpoint } from "./contract";
import { CODECS } from "./index";
import { formatSse, parseSse } from "./sse";
import type { Codec, Json, StreamFromChatOptions } from "./codec";

/** The upstream formats a translated call may use (those whose codec has the upstream half), in the
 * order of WIRES: chat, messages, gemini. */
export const PIVOT_TARGETS: Endpoint[] = (Object.keys(CODECS) as Endpoint[]).filter((e) => {
  const c = CODECS[e]!;
  return !!(c.requestFromChat && c.replyToChat && c.streamToChat);
});

/** Complete SSE text in, SSE text out. */
export type TextStream = { push(text: string): string; end(): string };

export type Translation = {
  request(body: Json, upstreamModel: string, stream: boolean): Json;
  reply(upstreamReply: Json, clientModel: string): Json;
  stream(opts: StreamFromChatOptions): TextStream;
};

/** Can a client of one endpoint be served by an upstream of another (both have the codec halves)? */
export function canTranslate(client: Endpoint, upstream: Endpoint): boolean {
  const to = CODECS[upstream];
  return !!CODECS[client] && !!to?.requestFromChat && !!to.replyToChat && !!to.streamToChat;
}

/** The translation from the client's endpoint to the upstream's, or null when either has no codec. */
export function translation(client: Endpoint, upstream: Endpoint): Translation | null {
  if (!canTranslate(client, upstream)) return null;
  const from = CODECS[client]!;
  const { requestFromChat, replyToChat, streamToChat } = CODECS[upstream] as Required<Codec>;
  return {
    request: (body, upstreamModel, stream) => requestFromChat(from.requestToChat(body), upstreamModel, stream),
    reply: (upstreamReply, clientModel) => from.replyFromChat(replyToChat(upstreamReply), clientModel),
    stream(opts) {
      const inbound = streamToChat();
      const outbound = from.streamFromChat(opts);
      const out = (chunks: Json[]) =>
        chunks
          .flatMap((c) => outbound.push(c))
          .map(formatSse)
          .join("");
      return {
        push: (text) => out(parseSse(text).flatMap((ev) => inbound.push(ev))),
        end: () => out(inbound.end()) + outbound.end().map(formatSse).join(""),
      };
    },
  };
}
