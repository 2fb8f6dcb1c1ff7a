// Test support: every /v1 (and /v1beta) route that takes a body, with its surface and the content type
// it takes, and the check that an error reply has its surface's shape: OpenAI's
// {"error":{message,type,param,code}}, Anthropic's {"type":"error","error":{type,message}}, Google's
// {"error":{code,message,status}}.
import { expect } from "bun:test";

export type SurfaceName = "openai" | "anthropic" | "gemini";
export type BodyRoute = { path: string; surface: SurfaceName; multipart?: boolean };

/** `model` is the Gemini model named in the path. */
export const bodyRoutes = (model = "gemini-x"): BodyRoute[] => [
  { path: "/v1/chat/completions", surface: "openai" },
  { path: "/v1/completions", surface: "openai" },
  { path: "/v1/embeddings", surface: "openai" },
  { path: "/v1/images/generations", surface: "openai" },
  { path: "/v1/audio/speech", surface: "openai" },
  { path: "/v1/responses", surface: "openai" },
  { path: "/v1/images/edits", surface: "openai", multipart: true },
  { path: "/v1/audio/transcriptions", surface: "openai", multipart: true },
  { path: "/v1/messages", surface: "anthropic" },
  { path: "/v1/messages/count_tokens", surface: "anthropic" },
  { path: `/v1beta/models/${model}:generateContent`, surface: "gemini" },
  { path: `/v1beta/models/${model}:streamGenerateContent?alt=sse`, surface: "gemini" },
  { path: `/v1beta/models/${model}:countTokens`, surface: "gemini" },
  { path: `/v1beta/models/${model}:predictLongRunning`, surface: "gemini" },
];

/** The JSON routes only. */
export const jsonRoutes = (model?: string) => bodyRoutes(model).filter((r) => !r.multipart);

/** Asserts `body` is an error in `surface`'s shape for `status`; returns its message. `code` is
 * checked where the shape carries one (OpenAI's). (Plain checks: Bun's toMatchObject with asymmetric
 * matchers overwrites the received object's fields.) */
export function expectSurfaceError(surface: SurfaceName, status: number, body: any, code?: string): string {
  const shown = JSON.stringify(body);
  const error = body?.error;
  expect({ surface, hasError: typeof error === "object" && error !== null, shown }).toEqual({
    surface,
    hasError: true,
    shown,
  });
  expect({ surface, message: typeof error.message, shown }).toEqual({ surface, message: "string", shown });
  if (surface === "openai") {
    expect(Object.keys(error).sort()).toEqual(["code", "message", "param", "type"]);
    if (code) expect(error.code).toBe(code);
  } else if (surface === "anthropic") {
    expect(body.type).toBe("error");
    expect(typeof error.type).toBe("string");
    if (status < 500) expect(error.type).not.toBe("api_error"); // a client error has its own type
  } else {
    expect(error.code).toBe(status);
    expect(typeof error.status).toBe("string");
    expect(error.status).not.toBe("UNKNOWN");
  }
  return error.message;
}
