// Mock upstream, OpenAI Responses wire format: POST /v1/responses. Non-stream: a Response object; stream:
// event-named SSE whose data.type is the event name, with a running sequence_number (response.created …
// output_text.delta × chunks … response.completed carrying the full response and its usage). Tool mode
// answers with a function_call item; reasoning comes first as a reasoning item with a summary.
import { type Answer, answer, type Ctx, json, now, rid } from "./core";
import { delta, type Ev, sseNamed, streamResponse } from "./stream";

type Item = Record<string, any>;

/** The final output items: [reasoning], then the message or the function call. */
function outputItems(a: Answer): Item[] {
  const items: Item[] = [];
  if (a.reasoning)
    items.push({ id: rid("rs_"), type: "reasoning", summary: [{ type: "summary_text", text: a.reasoning }] });
  if (a.tool)
    items.push({
      id: rid("fc_"),
      type: "function_call",
      status: "completed",
      call_id: a.tool.id,
      name: a.tool.name,
      arguments: a.tool.json,
    });
  else
    items.push({
      id: rid("msg_"),
      type: "message",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: a.text, annotations: [] }],
    });
  return items;
}

function usage(ctx: Ctx) {
  const { s } = ctx;
  return {
    input_tokens: s.promptTokens,
    input_tokens_details: { cached_tokens: s.cachedTokens ?? 0 },
    output_tokens: s.completionTokens,
    output_tokens_details: { reasoning_tokens: s.reasoningTokens ?? 0 },
    total_tokens: s.promptTokens + s.completionTokens,
  };
}

/** The Response object in a given state; usage only once completed (and not in no_usage mode). */
function responseObject(ctx: Ctx, id: string, created: number, status: string, output: Item[]) {
  const b = ctx.body;
  const obj: Record<string, unknown> = {
    id,
    object: "response",
    created_at: created,
    status,
    error: null,
    incomplete_details: null,
    instructions: b.instructions ?? null,
    max_output_tokens: b.max_output_tokens ?? null,
    model: ctx.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: b.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    store: b.store ?? true,
    temperature: b.temperature ?? 1,
    text: { format: { type: "text" } },
    tool_choice: b.tool_choice ?? "auto",
    tools: b.tools ?? [],
    top_p: b.top_p ?? 1,
    truncation: "disabled",
    usage: null,
    user: null,
    metadata: b.metadata ?? {},
  };
  if (status === "completed") {
    if (ctx.s.mode === "no_usage") delete obj.usage;
    else obj.usage = usage(ctx);
  }
  return obj;
}

/** The events of one output item, from output_item.added to output_item.done. */
function itemEvents(
  item: Item,
  oi: number,
  a: Answer,
  ev: (type: string, data: object, isDelta?: boolean) => Ev,
): Ev[] {
  const at = { item_id: item.id, output_index: oi };
  const out = [ev("response.output_item.added", { output_index: oi, item: { ...item, ...startOf(item) } })];
  if (item.type === "reasoning") {
    const text = a.reasoning!;
    const part = { ...at, summary_index: 0 };
    out.push(ev("response.reasoning_summary_part.added", { ...part, part: { type: "summary_text", text: "" } }));
    for (const r of a.reasoningPieces)
      out.push(ev("response.reasoning_summary_text.delta", { ...part, delta: r }, true));
    out.push(ev("response.reasoning_summary_text.done", { ...part, text }));
    out.push(ev("response.reasoning_summary_part.done", { ...part, part: { type: "summary_text", text } }));
  } else if (item.type === "function_call") {
    for (const f of a.tool!.fragments)
      out.push(ev("response.function_call_arguments.delta", { ...at, delta: f }, true));
    out.push(ev("response.function_call_arguments.done", { ...at, name: item.name, arguments: item.arguments }));
  } else {
    const part = { ...at, content_index: 0 };
    out.push(ev("response.content_part.added", { ...part, part: { type: "output_text", text: "", annotations: [] } }));
    for (const p of a.pieces) out.push(ev("response.output_text.delta", { ...part, delta: p, logprobs: [] }, true));
    out.push(ev("response.output_text.done", { ...part, text: a.text, logprobs: [] }));
    out.push(ev("response.content_part.done", { ...part, part: item.content[0] }));
  }
  out.push(ev("response.output_item.done", { output_index: oi, item }));
  return out;
}

/** How an item looks when it is announced, before its content arrives. */
function startOf(item: Item): Item {
  if (item.type === "reasoning") return { summary: [] };
  if (item.type === "function_call") return { status: "in_progress", arguments: "" };
  return { status: "in_progress", content: [] };
}

export function responses(ctx: Ctx) {
  const a = answer(ctx);
  const id = rid("resp_");
  const created = now();
  const output = outputItems(a);
  if (ctx.body.stream !== true) return json(responseObject(ctx, id, created, "completed", output));
  let seq = 0;
  const ev = (type: string, data: object, isDelta = false) => {
    const e = sseNamed(type, { type, sequence_number: seq++, ...data });
    return isDelta ? delta(e) : e;
  };
  const plan = [
    ev("response.created", { response: responseObject(ctx, id, created, "in_progress", []) }),
    ev("response.in_progress", { response: responseObject(ctx, id, created, "in_progress", []) }),
    ...output.flatMap((item, oi) => itemEvents(item, oi, a, ev)),
    ev("response.completed", { response: responseObject(ctx, id, created, "completed", output) }),
  ];
  return streamResponse(ctx, plan);
}
