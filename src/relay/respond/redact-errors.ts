// Upstream error events inside a 200 stream, and error bodies inside a 200 JSON reply, redacted as
// a failed reply's error is (core/redact.ts), on the upstream's bytes, before metering or
// translation: every surface, native or translated, gets the scrubbed text. Normal events are not
// parsed: one byte search for `"error"` per chunk finds the few that may be errors (a quote inside a
// JSON string is escaped, so generated text cannot match).
import { redactErrorPayload } from "../../core/redact";
import { indexOfBytes } from "../../net/bytes";

const MARK = Buffer.from('"error"');
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Does this chunk hold the `"error"` key or value at all? */
const marked = (chunk: Uint8Array) => indexOfBytes(chunk, MARK) >= 0;

/** One SSE event (without its blank-line end) with an error payload redacted; as it was otherwise. */
function redactEvent(block: string, secrets: string[]): string {
  if (!mayHoldError(block)) return block;
  const lines = block.split(/\r?\n/);
  const data = lines.filter((l) => l.startsWith("data:")).map((l) => l.slice(l[5] === " " ? 6 : 5));
  let payload: unknown;
  try {
    payload = JSON.parse(data.join("\n"));
  } catch {
    return block;
  }
  const redacted = redactErrorPayload(payload, secrets);
  if (!redacted) return block;
  const eol = block.includes("\r\n") ? "\r\n" : "\n";
  const kept = lines.filter((l) => !l.startsWith("data:"));
  return [...kept, `data: ${JSON.stringify(redacted)}`].join(eol);
}

/** A chunk of complete SSE events with its error events redacted (the chunk itself when it has none). */
export function redactStreamErrors(chunk: Uint8Array, secrets: string[]): Uint8Array {
  if (!marked(chunk)) return chunk;
  const text = decoder.decode(chunk);
  if (!mayHoldError(text)) return chunk; // Responses events carry "error": null
  // split keeping the separators, so event ends (LF or CRLF) come back as they were
  const parts = text.split(/(\r?\n\r?\n)/);
  return encoder.encode(parts.map((p, i) => (i % 2 === 0 ? redactEvent(p, secrets) : p)).join(""));
}

/** Some `"error"` in the text is not `"error": null` (which every Responses reply has). */
function mayHoldError(text: string): boolean {
  for (let at = text.indexOf('"error"'); at >= 0; at = text.indexOf('"error"', at + 7)) {
    if (!/^\s*:\s*null/.test(text.slice(at + 7, at + 20))) return true;
  }
  return false;
}

/** A JSON reply's text with an error payload redacted (the text itself when it carries none). */
export function redactJsonError(text: string, secrets: string[]): string {
  if (!mayHoldError(text)) return text;
  try {
    const redacted = redactErrorPayload(JSON.parse(text), secrets);
    return redacted ? JSON.stringify(redacted) : text;
  } catch {
    return text;
  }
}
