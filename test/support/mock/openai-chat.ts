// Mock upstream, OpenAI wire format: /chat/completions and /completions, non-stream and SSE
// (`data: {…}` chunks, a usage chunk only with stream_options.include_usage, then [DONE]). Tool mode answers
// with tool_calls (arguments streamed in fragments); reasoning comes as reasoning_content.
import { answer, type Ctx, json, now, rid } from "./core";
import { openaiUsage, withUsage } from "./openai-errors";
import { reasoningRefusal } from "./reasoning-models";
import { delta, type Ev, sse, streamResponse } from "./stream";

type Chunk = (delta: Record<string, unknown>, finish: string | null) => Record<string, unknown>;

/** The closing events: finish chunk, usage chunk when asked, [DONE]. */
function closing(ctx: Ctx, chunk: Chunk, finish: string): Ev[] {
  const out = [sse({ ...chunk({}, finish), usage: null })];
  if (ctx.body.stream_options?.include_usage === true && ctx.s.mode !== "no_usage")
    out.push(sse({ ...chunk({}, null), choices: [], usage: openaiUsage(ctx.s) }));
  return [...out, sse("[DONE]")];
}

export function chatCompletions(ctx: Ctx) {
  const refused = reasoningRefusal(ctx);
  if (refused) return refused;
  const a = answer(ctx);
  const base = { id: rid("chatcmpl-mock-"), created: now(), model: ctx.model, system_fingerprint: null };
  const finish = a.tool ? "tool_calls" : "stop";
  const call = a.tool && { id: a.tool.id, type: "function", function: { name: a.tool.name, arguments: a.tool.json } };
  if (ctx.body.stream === true) {
    const chunk: Chunk = (d, fin) => ({
      ...base,
      object: "chat.completion.chunk",
      choices: [{ index: 0, delta: d, logprobs: null, finish_reason: fin }],
    });
    const ev = (d: Record<string, unknown>) => delta(sse({ ...chunk(d, null), usage: null }));
    // the call's id and name come with the role, or after the reasoning when there is some
    const toolHead = a.tool && { tool_calls: [{ index: 0, ...call, function: { name: a.tool.name, arguments: "" } }] };
    const role = { role: "assistant", content: a.tool ? null : "", ...(a.reasoning ? {} : toolHead) };
    const plan: Ev[] = [sse({ ...chunk(role, null), usage: null })];
    for (const r of a.reasoningPieces) plan.push(ev({ reasoning_content: r }));
    if (toolHead && a.reasoning) plan.push(sse({ ...chunk(toolHead, null), usage: null }));
    if (a.tool)
      for (const f of a.tool.fragments) plan.push(ev({ tool_calls: [{ index: 0, function: { arguments: f } }] }));
    else for (const p of a.pieces) plan.push(ev({ content: p }));
    return streamResponse(ctx, [...plan, ...closing(ctx, chunk, finish)]);
  }
  const message: Record<string, unknown> = { role: "assistant", content: a.tool ? null : a.text, refusal: null };
  if (a.reasoning) message.reasoning_content = a.reasoning;
  if (call) message.tool_calls = [call];
  return json(
    withUsage(ctx, {
      ...base,
      object: "chat.completion",
      choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
    }),
  );
}

export function completions(ctx: Ctx) {
  const a = answer(ctx);
  const base = { id: rid("cmpl-mock-"), object: "text_completion", created: now(), model: ctx.model };
  const choice = (text: string, finish: string | null) => ({ text, index: 0, logprobs: null, finish_reason: finish });
  if (ctx.body.stream === true) {
    const chunk: Chunk = (d, fin) => ({ ...base, choices: [choice(String(d.content ?? ""), fin)] });
    const plan = a.pieces.map((p) => delta(sse({ ...chunk({ content: p }, null), usage: null })));
    return streamResponse(ctx, [...plan, ...closing(ctx, chunk, "stop")]);
  }
  return json(withUsage(ctx, { ...base, choices: [choice(a.text, "stop")] }));
}
