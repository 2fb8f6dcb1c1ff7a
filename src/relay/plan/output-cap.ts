// Output limits sent upstream, in whichever field the wire format uses. A channel's cap
// (max_output_tokens): a client that asks an upstream for more output tokens than the channel
// allows (Claude Code asks 32,000–64,000; DeepSeek takes at most 8,192) has its ask lowered to the
// cap; asks at or under it, and bodies that ask nothing, are left as they are. The hold's limit
// (relay/checks/hold.ts): the output the balance holds for, so no upstream is asked for more than
// somebody pays; asks above it are lowered, and a body that asks nothing gets it in its endpoint's
// field. Pure; the client's body is never changed.
import type { Endpoint } from "../wire/contract";

type Body = Record<string, unknown>;

const FIELDS = ["max_tokens", "max_completion_tokens", "max_output_tokens"];

/** The field an endpoint's body names its output limit in, when it names none (Gemini's sits in
 * generationConfig). Chat takes OpenAI's current field, which every OpenAI model accepts, the
 * reasoning ones included (they refuse max_tokens). */
const LIMIT_FIELD: Partial<Record<Endpoint, string>> = {
  chat: "max_completion_tokens",
  completions: "max_tokens",
  responses: "max_output_tokens",
  messages: "max_tokens",
};

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

/** Does the body name an output limit in any field? */
export const asksOutput = (body: Body) =>
  FIELDS.some((f) => typeof body[f] === "number") || typeof geminiAsk(body) === "number";

/** The body with an output limit of `limit`: asks above it lowered, and the endpoint's own field set
 * when it names none (a copy when anything changes). */
export function limitOutput<T extends Body>(body: T, endpoint: Endpoint, limit: number): T {
  const capped = capOutput(body, limit);
  if (asksOutput(capped)) return capped;
  const field = LIMIT_FIELD[endpoint];
  if (!field && endpoint !== "gemini") return capped;
  const out: Body = { ...capped };
  if (field) out[field] = limit;
  else out.generationConfig = { ...(out.generationConfig as Body), maxOutputTokens: limit };
  return out as T;
}

/**
 * The client's JSON text with the limit added, for a body that names none and has no key of that
 * name at all (so nothing is duplicated): the field spliced in before the closing brace, without
 * parsing or serialising the body again. Null when that does not apply.
 */
export function limitText(text: string, body: Body, endpoint: Endpoint, limit: number): string | null {
  const field = LIMIT_FIELD[endpoint] ?? (endpoint === "gemini" ? "generationConfig" : null);
  if (!field || field in body || asksOutput(body)) return null;
  const end = text.lastIndexOf("}");
  if (end < 0) return null;
  const empty = text.slice(0, end).trimEnd().endsWith("{");
  const value = field === "generationConfig" ? `{"maxOutputTokens":${limit}}` : String(limit);
  return `${text.slice(0, end)}${empty ? "" : ","}"${field}":${value}${text.slice(end)}`;
}
