// What a surface is: how one wire format's clients expect an error (status and JSON body) and the
// event that ends a stream cut short. Each format's own lives in its folder (<format>/surface.ts).
import type { AppError } from "../../errors";

export type SurfaceName = "openai" | "anthropic" | "gemini";

export type Surface = {
  name: SurfaceName;
  /** the status and JSON body of an error */
  error(e: AppError): { status: number; body: unknown };
  /** the SSE event that tells a client its stream was cut (stream_error code, message) */
  streamError(message: string, code: string): string;
};

/** One server-sent event as text. */
export const sseEvent = (data: unknown, event?: string) =>
  `${event ? `event: ${event}\n` : ""}data: ${JSON.stringify(data)}\n\n`;
