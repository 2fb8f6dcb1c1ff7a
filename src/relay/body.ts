// Checks 6–7: the body's size (declared or actual) and that it is a JSON object naming a model
// (Gemini names it in the path instead), or multipart form data with a model field.
import { refusals } from "../core/refusals";

async function readLimited(req: Request, limit: number): Promise<string>;
async function readLimited(req: Request, limit: number, binary: true): Promise<Uint8Array>;
async function readLimited(req: Request, limit: number, binary = false): Promise<string | Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (declared > limit) throw refusals.tooLarge(limit);
  if (Number.isFinite(declared)) return binary ? new Uint8Array(await req.arrayBuffer()) : req.text();
  // no length given (chunked): count while reading, stop at the limit
  const reader = req.body?.getReader();
  if (!reader) return binary ? new Uint8Array() : "";
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
  const all = Buffer.concat(parts);
  return binary ? all : all.toString("utf8");
}

export type CallBody = Record<string, unknown> & { model: string };

const MODEL_HINT = 'you must give a model, e.g. "model": "gpt-4o-mini"';

/** The parsed body and its text (sent upstream unchanged when nothing in it needs rewriting).
 * `model` (from the path) is put into the body when given. */
export async function readCallBody(req: Request, limit: number, model?: string): Promise<{ body: CallBody; text: string }> {
  const text = await readLimited(req, limit);
  let body: unknown;
  try {
    body = text === "" && model ? {} : JSON.parse(text);
  } catch {
    throw refusals.badBody("the request body is not valid JSON");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw refusals.badBody("the request body must be a JSON object");
  if (model !== undefined) (body as Record<string, unknown>).model = model;
  const named = (body as Record<string, unknown>).model;
  if (typeof named !== "string" || named.trim() === "") throw refusals.badBody(MODEL_HINT, "model");
  return { body: body as CallBody, text };
}

/** A multipart body (image edits, transcriptions): its string fields as the call body, and the form. */
export async function readFormBody(req: Request, limit: number): Promise<{ body: CallBody; form: FormData }> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.startsWith("multipart/form-data")) throw refusals.badBody("this endpoint takes multipart/form-data (a file upload)");
  const bytes = await readLimited(req, limit, true);
  let form: FormData;
  try {
    form = await new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { "content-type": type } }).formData();
  } catch {
    throw refusals.badBody("the multipart body could not be read");
  }
  const body: Record<string, unknown> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") body[k] = v;
  if (typeof body.model !== "string" || body.model.trim() === "") throw refusals.badBody(MODEL_HINT, "model");
  return { body: body as CallBody, form };
}
