// The contract of translation between wire formats. Everything pivots through OpenAI chat: a request
// in format X for an upstream speaking Y goes X → chat → Y, its reply Y → chat → X (streams too).
// Translators are pure: plain objects in, plain objects out; no I/O, no clocks but ids/timestamps.
//
// Pivot conventions (what a codec may rely on in the chat objects it receives, and must produce):
// - requests: an OpenAI chat completion request; `model` as given; system text as leading
//   {role:"system"} messages; images as {type:"image_url", image_url:{url}} parts (data: URLs for
//   inline data); tools as {type:"function", function:{name, description?, parameters}}.
// - replies: a chat.completion with one choice; reasoning text in message.reasoning_content.
// - stream chunks: chat.completion.chunk objects (delta.role / content / reasoning_content /
//   tool_calls[{index, id?, type?, function:{name?, arguments}}]); a choice's finish_reason on its
//   last chunk; then, when the upstream reported usage, one chunk with `choices: []` and `usage`.
// - usage (replies and the usage chunk): prompt_tokens (ALL input, cached and cache-written
//   included), completion_tokens (reasoning included), prompt_tokens_details.cached_tokens,
//   prompt_tokens_details.cache_write_tokens (extension: Anthropic's cache_creation_input_tokens),
//   completion_tokens_details.reasoning_tokens.
// - an upstream error inside a stream becomes a chunk {error:{message, type}} (no choices).
// - finish_reason: "stop" | "length" | "tool_calls" | "content_filter".
export type Json = Record<string, any>;

/** One server-sent event: its `event:` name, if any, and its data (parsed JSON, or raw text such as "[DONE]"). */
export type SseEvent = { event?: string; data: Json | string };

/** A stateful stream translator: `push` for each incoming item, `end` once the input has ended
 * properly (it emits any closing events). Both return the items to send on, possibly none. */
export interface StreamTranslator<In, Out> {
  push(item: In): Out[];
  end(): Out[];
}

export type StreamFromChatOptions = {
  /** the model name the client asked for (shown back to it) */
  model: string;
  /** the client asked for usage in the stream (chat: stream_options.include_usage) */
  includeUsage?: boolean;
};

/** One wire format's translations to and from the chat pivot. The `*FromChat` half serves clients
 * of this format; the `*ToChat` / `requestFromChat` half serves upstreams of this format. */
export type Codec = {
  /** client request in this format → chat. Throws refusals.badBody(…) (a 400 naming the item or
   * tool type) for anything that cannot be translated; never drops it silently. */
  requestToChat(body: Json): Json;
  /** chat reply → this format's reply, as the client expects it */
  replyFromChat(reply: Json, model: string): Json;
  /** chat chunks → this format's stream events */
  streamFromChat(opts: StreamFromChatOptions): StreamTranslator<Json, SseEvent>;
  /** chat request → this format's request for an upstream (model set to `upstreamModel`) */
  requestFromChat?(chat: Json, upstreamModel: string, stream: boolean): Json;
  /** this format's reply from an upstream → chat reply */
  replyToChat?(reply: Json): Json;
  /** this format's stream events from an upstream → chat chunks */
  streamToChat?(): StreamTranslator<SseEvent, Json>;
};
