// The OpenAI Responses API, client side: Response objects and their output items (shared with the
// non-streaming reply in responses.ts), and the translator from chat chunks to the Responses event
// stream (response.created … output items … response.completed / incomplete / failed).
import type { Json, SseEvent, StreamFromChatOptions, StreamTranslator } from "../codec";
import { newId, nowSeconds } from "../util";

/** Responses usage from chat usage (both count cached input in the input); null when none came. */
export function usageFromChat(u: Json | null | undefined): Json | null {
  if (!u) return null;
  const input = u.prompt_tokens ?? 0;
  const output = u.completion_tokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: u.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: u.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: u.total_tokens ?? input + output,
  };
}

const INCOMPLETE: Record<string, string> = { length: "max_output_tokens", content_filter: "content_filter" };

/** The response's status from the chat finish_reason: cut short by length or a filter is "incomplete". */
export function outcome(finishReason: string | null | undefined): { status: string; incomplete_details: Json | null } {
  const reason = finishReason ? INCOMPLETE[finishReason] : undefined;
  return reason
    ? { status: "incomplete", incomplete_details: { reason } }
    : { status: "completed", incomplete_details: null };
}

export type ResponseHead = { id: string; created_at: number; model: string };

/** A Response object with the fields SDKs read. The request's settings are not known here, so
 * instructions / tools / tool_choice show their defaults. */
export function responseObject(head: ResponseHead, fields: Json): Json {
  const { id, created_at, model } = head;
  const defaults = {
    status: "completed",
    error: null,
    incomplete_details: null,
    instructions: null,
    output: [],
    usage: null,
  };
  const settings = { parallel_tool_calls: true, tool_choice: "auto", tools: [], metadata: {} };
  return { id, object: "response", created_at, model, ...defaults, ...settings, ...fields };
}

/** A message content part: output_text carries `text`, refusal carries `refusal`. */
export type PartType = "output_text" | "refusal";
const partField = (type: PartType) => (type === "output_text" ? "text" : "refusal");

export const textPart = (type: PartType, text: string): Json =>
  type === "output_text" ? { type, text, annotations: [] } : { type, refusal: text };

export const messageItem = (id: string, content: Json[], status: string): Json => ({
  type: "message",
  id,
  status,
  role: "assistant",
  content,
});

/** Reasoning as a summary (chat's reasoning_content is the readable trace clients show as such). */
export const reasoningItem = (id: string, text: string | null): Json => ({
  type: "reasoning",
  id,
  summary: text === null ? [] : [{ type: "summary_text", text }],
});

export const functionCallItem = (id: string, callId: string, name: string, args: string, status: string): Json => ({
  type: "function_call",
  id,
  call_id: callId,
  name,
  arguments: args,
  status,
});

/** The item being streamed: its place in the output, and for messages the open content part. */
type Open = { item: Json; index: number; part?: Json; partIndex?: number };

/** Chat chunks → Responses events. Text, reasoning and each tool call become output items, one open
 * at a time (the open one is closed before the next opens). Chat sends finish_reason before its usage
 * chunk, so the closing response.completed waits for the usage chunk or end(). */
class ResponsesStream implements StreamTranslator<Json, SseEvent> {
  private readonly head: ResponseHead;
  private seq = 0;
  private started = false;
  private finished = false;
  private output: Json[] = [];
  private open: Open | null = null;
  private calls = new Map<number, Json>(); // chat tool_calls index → its function_call item
  private finishReason: string | null = null;
  private usage: Json | null = null;
  private out: SseEvent[] = [];

  constructor(opts: StreamFromChatOptions) {
    // Responses always reports usage, so opts.includeUsage does not apply.
    this.head = { id: newId("resp_", 32), created_at: nowSeconds(), model: opts.model };
  }

  push(chunk: Json): SseEvent[] {
    if (this.finished) return [];
    this.start();
    if (chunk.error) return this.fail(chunk.error);
    // Only choice 0: requests from this format never ask for n > 1.
    const choice = chunk.choices?.find((c: Json) => (c.index ?? 0) === 0);
    if (choice) this.choice(choice);
    if (chunk.usage) {
      this.usage = chunk.usage;
      // Some upstreams put usage on every chunk: only the last one (finish seen, or no choices) ends it.
      if (this.finishReason !== null || !chunk.choices?.length) this.complete();
    }
    return this.flush();
  }

  end(): SseEvent[] {
    if (this.finished) return [];
    this.start();
    this.complete();
    return this.flush();
  }

  private flush(): SseEvent[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  /** Events that carry an item, a part or the response are copied, since later chunks change those
   * objects; deltas carry none and go as they are (the common, cheap case). */
  private emit(type: string, fields: Json): void {
    const copy =
      "item" in fields || "part" in fields || "response" in fields ? JSON.parse(JSON.stringify(fields)) : fields;
    this.out.push({ event: type, data: { type, sequence_number: this.seq++, ...copy } });
  }

  private response(fields: Json): Json {
    return responseObject(this.head, { output: this.output, usage: usageFromChat(this.usage), ...fields });
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    const response = this.response({ status: "in_progress", output: [], usage: null });
    this.emit("response.created", { response });
    this.emit("response.in_progress", { response });
  }

  private choice(choice: Json): void {
    const delta = choice.delta ?? {};
    if (delta.reasoning_content) this.reasoningDelta(delta.reasoning_content);
    if (delta.content) this.textDelta("output_text", delta.content);
    if (delta.refusal) this.textDelta("refusal", delta.refusal);
    for (const call of delta.tool_calls ?? []) this.toolCallDelta(call);
    if (choice.finish_reason) {
      this.finishReason = choice.finish_reason;
      this.closeItem();
    }
  }

  private openItem(item: Json): Open {
    this.closeItem();
    this.open = { item, index: this.output.length };
    this.output.push(item);
    this.emit("response.output_item.added", { output_index: this.open.index, item });
    return this.open;
  }

  /** The status an item gets when it closes: the one the finish cut short is "incomplete". */
  private closingStatus(): string {
    return outcome(this.finishReason).status === "incomplete" ? "incomplete" : "completed";
  }

  private closeItem(): void {
    const open = this.open;
    if (!open) return;
    this.open = null;
    const at = this.at(open);
    if (open.item.type === "reasoning") this.closeReasoning(open, at);
    if (open.item.type === "message") this.closePart(open);
    if (open.item.type === "function_call") {
      this.emit("response.function_call_arguments.done", {
        ...at,
        name: open.item.name,
        arguments: open.item.arguments,
      });
    }
    if (open.item.type !== "reasoning") open.item.status = this.closingStatus();
    this.emit("response.output_item.done", { output_index: open.index, item: open.item });
  }

  private reasoningDelta(delta: string): void {
    let open = this.open;
    if (open?.item.type !== "reasoning") {
      open = this.openItem(reasoningItem(newId("rs_", 32), null));
      open.item.summary.push({ type: "summary_text", text: "" });
      this.emit("response.reasoning_summary_part.added", {
        ...this.at(open),
        summary_index: 0,
        part: open.item.summary[0],
      });
    }
    open.item.summary[0].text += delta;
    this.emit("response.reasoning_summary_text.delta", { ...this.at(open), summary_index: 0, delta });
  }

  private closeReasoning(open: Open, at: Json): void {
    const part = open.item.summary[0];
    this.emit("response.reasoning_summary_text.done", { ...at, summary_index: 0, text: part.text });
    this.emit("response.reasoning_summary_part.done", { ...at, summary_index: 0, part });
  }

  private textDelta(type: PartType, delta: string): void {
    let open = this.open;
    if (open?.item.type !== "message") open = this.openItem(messageItem(newId("msg_", 32), [], "in_progress"));
    if (open.part?.type !== type) this.openPart(open, type);
    open.part![partField(type)] += delta;
    const event = type === "output_text" ? "response.output_text.delta" : "response.refusal.delta";
    this.emit(event, {
      ...this.at(open),
      content_index: open.partIndex,
      delta,
      ...(type === "output_text" ? { logprobs: [] } : {}),
    });
  }

  private openPart(open: Open, type: PartType): void {
    this.closePart(open);
    open.part = textPart(type, "");
    open.partIndex = open.item.content.length;
    open.item.content.push(open.part);
    this.emit("response.content_part.added", { ...this.at(open), content_index: open.partIndex, part: open.part });
  }

  private closePart(open: Open): void {
    const part = open.part;
    if (!part) return;
    open.part = undefined;
    const at = { ...this.at(open), content_index: open.partIndex };
    if (part.type === "output_text") this.emit("response.output_text.done", { ...at, text: part.text, logprobs: [] });
    else this.emit("response.refusal.done", { ...at, refusal: part.refusal });
    this.emit("response.content_part.done", { ...at, part });
  }

  private toolCallDelta(call: Json): void {
    const index = call.index ?? 0;
    let item = this.calls.get(index);
    if (!item) {
      item = functionCallItem(
        newId("fc_", 32),
        call.id ?? newId("call_", 32),
        call.function?.name ?? "",
        "",
        "in_progress",
      );
      this.calls.set(index, item);
      this.openItem(item);
    }
    // Some upstreams repeat the name on every fragment; it never comes split, so the first one wins.
    if (!item.name && call.function?.name) item.name = call.function.name;
    const fragment = call.function?.arguments;
    if (!fragment) return;
    item.arguments += fragment;
    // A fragment for a call already closed (an upstream interleaving its calls) cannot be streamed
    // any more; it still reaches the final response's output.
    if (this.open?.item === item)
      this.emit("response.function_call_arguments.delta", { ...this.at(this.open), delta: fragment });
  }

  private at(open: Open): Json {
    return { item_id: open.item.id, output_index: open.index };
  }

  private complete(): void {
    this.closeItem();
    const { status, incomplete_details } = outcome(this.finishReason);
    this.finished = true;
    const response = this.response({ status, incomplete_details });
    this.emit(status === "incomplete" ? "response.incomplete" : "response.completed", { response });
  }

  private fail(error: Json): SseEvent[] {
    this.finished = true;
    const message = typeof error.message === "string" ? error.message : "the upstream failed mid-stream";
    this.emit("response.failed", {
      response: this.response({ status: "failed", error: { code: "server_error", message } }),
    });
    return this.flush();
  }
}

export const streamFromChat = (opts: StreamFromChatOptions): StreamTranslator<Json, SseEvent> =>
  new ResponsesStream(opts);
