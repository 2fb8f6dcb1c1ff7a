// Checks 6–7: the body's size (declared or actual) and that it is a JSON object naming a model.
import { refusals } from "../core/refusals";

async function readLimited(req: Request, limit: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (declared > limit) throw refusals.tooLarge(limit);
  if (Number.isFinite(declared)) return req.text();
  // no length given (chunked): count while reading, stop at the limit
  const reader = req.body?.getReader();
  if (!reader) return "";
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => {});
      throw refusals.tooLarge(limit);
    }
    parts.push(value);
  }
  return Buffer.concat(parts).toString("utf8");
}

export type CallBody = Record<string, unknown> & { model: string };

/** The parsed body and its text (sent upstream unchanged when nothing in it needs rewriting). */
export async function readCallBody(req: Request, limit: number): Promise<{ body: CallBody; text: string }> {
  const text = await readLimited(req, limit);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw refusals.badBody("the request body is not valid JSON");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw refusals.badBody("the request body must be a JSON object");
  const model = (body as Record<string, unknown>).model;
  if (typeof model !== "string" || model.trim() === "") throw refusals.badBody("you must give a model, e.g. \"model\": \"gpt-4o-mini\"", "model");
  return { body: body as CallBody, text };
}
