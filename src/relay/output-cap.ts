// A channel's output cap (max_output_tokens): a client that asks an upstream for more output tokens
// than the channel allows (Claude Code asks 32,000–64,000; DeepSeek takes at most 8,192) has its
// ask lowered to the cap, in whichever field its wire format uses. Asks at or under the cap, and
// bodies that ask nothing, are left as they are. Pure; the client's body is never changed.
type Body = Record<string, unknown>;

const FIELDS = ["max_tokens", "max_completion_tokens", "max_output_tokens"];

const over = (v: unknown, cap: number) => typeof v === "number" && v > cap;

const geminiAsk = (body: Body) => (body.generationConfig as { maxOutputTokens?: unknown } | undefined)?.maxOutputTokens;

/** Does the body ask for more than `cap` (0: no cap)? */
export function asksOverCap(body: Body, cap: number): boolean {
  return cap > 0 && (FIELDS.some((f) => over(body[f], cap)) || over(geminiAsk(body), cap));
}

/** The body with every output ask above `cap` lowered to it (a copy when anything changes). */
export function capOutput<T extends Body>(body: T, cap: number): T {
  if (!asksOverCap(body, cap)) return body;
  const out: Body = { ...body };
  for (const f of FIELDS) if (over(out[f], cap)) out[f] = cap;
  if (over(geminiAsk(out), cap)) out.generationConfig = { ...(out.generationConfig as Body), maxOutputTokens: cap };
  return out as T;
}
