// What a surface is: how one wire format's clients expect an error (status and JSON body) and the
// event that ends a stream cut short. Each format's own lives in its folder (<format>/surface.ts).
import type { Headroom } from "../../core/rate-limit";
import { goDuration } from "../../core/rate-limit";
import type { AppError } from "../../errors";

export type SurfaceName = "openai" | "anthropic" | "gemini";

export type Surface = {
  name: SurfaceName;
  /** the status and JSON body of an error */
  error(e: AppError): { status: number; body: unknown };
  /** the SSE event that tells a client its stream was cut (stream_error code, message) */
  streamError(message: string, code: string): string;
  /** the headers that tell a client the rate limits in force (none when none are) */
  rateHeaders(r: RateReport, now: number): Record<string, string>;
};

/** The tightest request and token limits in force for a call, as core/rate-limit.ts's headroom. */
export type RateReport = { requests: Headroom | null; tokens: Headroom | null };

/** The headers of both limits in force, named by `name(kind, field)`, the reset written by `reset`. */
export function rateHeaderSet(
  r: RateReport,
  name: (kind: "requests" | "tokens", field: "limit" | "remaining" | "reset") => string,
  reset: (ms: number) => string,
): Record<string, string> {
  const h: Record<string, string> = {};
  for (const [kind, v] of [
    ["requests", r.requests],
    ["tokens", r.tokens],
  ] as const) {
    if (!v) continue;
    h[name(kind, "limit")] = String(v.limit);
    h[name(kind, "remaining")] = String(v.remaining);
    h[name(kind, "reset")] = reset(v.resetMs);
  }
  return h;
}

/** OpenAI's x-ratelimit-* headers: limit, remaining, and the reset as a Go-style duration ("6m0s"). */
export const openaiRateHeaders = (r: RateReport) =>
  rateHeaderSet(r, (kind, field) => `x-ratelimit-${field}-${kind}`, goDuration);

/** One server-sent event as text. */
export const sseEvent = (data: unknown, event?: string) =>
  `${event ? `event: ${event}\n` : ""}data: ${JSON.stringify(data)}\n\n`;
