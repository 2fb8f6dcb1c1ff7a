// Redacting upstream errors without a server (item 8): which payloads are errors in each wire
// format, what in them is scrubbed and what is kept; SSE chunks keep their framing (LF or CRLF, event
// names) and are returned untouched, the same bytes, when they hold no error; JSON replies likewise.
import { describe, expect, test } from "bun:test";
import { redact, redactErrorPayload } from "../../../src/core/redact";
import { redactJsonError, redactStreamErrors } from "../../../src/relay/respond/redact-errors";

const KEY = "sk-proj-secretsecretsecretsecret";
const message = `bad key ${KEY} (sk-pr...ret) at https://api.example.com/v1/chat?key=${KEY}`;
const enc = new TextEncoder();
const dec = new TextDecoder();

describe("redactErrorPayload", () => {
  test.each([
    [
      "OpenAI / Gemini",
      { error: { message, type: "server_error", code: "unsupported_country_region_territory", param: null } },
    ],
    ["Anthropic", { type: "error", error: { type: "api_error", message } }],
    ["Responses error event", { type: "error", code: "server_error", message, param: null, sequence_number: 3 }],
    [
      "Responses response.failed",
      {
        type: "response.failed",
        response: { id: "resp_1", status: "failed", error: { code: "server_error", message }, output: [] },
      },
    ],
    ["a bare string error", { error: message }],
  ] as [string, any][])("%s: the key and URL are gone, identifiers and the rest kept", (_, payload) => {
    const out = redactErrorPayload(payload, [KEY]) as any;
    expect(out).not.toBeNull();
    const text = JSON.stringify(out);
    expect(text).not.toContain("secret");
    expect(text).not.toContain("api.example.com");
    expect(text).toContain("[redacted]");
    if (typeof payload.error === "object")
      expect(out.error.type ?? out.error.code).toBe(payload.error.type ?? payload.error.code);
    if (payload.type === "response.failed") expect(out.response.id).toBe("resp_1");
  });

  test.each([
    [{ choices: [] }],
    [{ type: "response.completed", response: { error: null } }],
    [{ error: null }],
    ["[DONE]"],
    [null],
  ])("no error in %j: null", (payload) => {
    expect(redactErrorPayload(payload, [KEY])).toBeNull();
  });

  test("an identifier that holds a key is scrubbed all the same", () => {
    expect((redactErrorPayload({ error: { code: KEY } }, [KEY]) as any).error.code).toBe("[redacted]");
  });

  test("Google keys, whole or masked", () => {
    expect(redact("key AIzaSyA1b2C3d4E5f6G7h8I9j0KLmnOPqrSTuvw and AIzaS...uLk")).toBe("key [redacted] and [redacted]");
  });
});

describe("redactStreamErrors", () => {
  test("a chunk without an error is returned as is (the same bytes, nothing parsed)", () => {
    const chunk = enc.encode('data: {"choices":[{"delta":{"content":"an \\"error\\" happened"}}]}\n\n');
    expect(redactStreamErrors(chunk, [KEY])).toBe(chunk);
  });

  test("error events are scrubbed; other events, event names and CRLF framing are kept", () => {
    const anthropic = `event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"text":"hi"}}\n\nevent: error\ndata: ${JSON.stringify({ type: "error", error: { type: "api_error", message } })}\n\n`;
    const out = dec.decode(redactStreamErrors(enc.encode(anthropic), [KEY]));
    expect(out).not.toContain("secret");
    expect(
      out.startsWith(
        'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"text":"hi"}}\n\nevent: error\ndata: {"type":"error"',
      ),
    ).toBe(true);
    expect(out.endsWith("}\n\n")).toBe(true);
    const gemini = `data: {"candidates":[]}\r\n\r\ndata: ${JSON.stringify({ error: { code: 500, message, status: "INTERNAL" } })}\r\n\r\n`;
    const g = dec.decode(redactStreamErrors(enc.encode(gemini), [KEY]));
    expect(g).not.toContain("secret");
    expect(g.split("\r\n\r\n")).toHaveLength(3);
    expect(JSON.parse(g.split("\r\n\r\n")[1].slice(6)).error).toMatchObject({ code: 500, status: "INTERNAL" });
  });
});

describe("redactJsonError", () => {
  test("a reply whose only error is null (every Responses reply) is not parsed, and comes back as is", () => {
    const reply = '{"id":"resp_1","status":"completed","error": null,"output":[]}';
    expect(redactJsonError(reply, [KEY])).toBe(reply);
  });
  test("an error body sent with 200 is scrubbed", () => {
    const out = redactJsonError(JSON.stringify({ error: { message, type: "invalid_request_error" } }), [KEY]);
    expect(out).not.toContain("secret");
    expect(JSON.parse(out).error.type).toBe("invalid_request_error");
  });
});
