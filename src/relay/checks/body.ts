// Checks 6–7 of a /v1 call: the body's content type, then its size and arrival (the shared reader:
// the limit, checked from Content-Length before reading; the deadline, 408), then that it is strict
// UTF-8 and unambiguous JSON (no key twice in an object, nesting within MAX_JSON_DEPTH) and an object
// naming a model (Gemini names it in the path instead); or multipart form data with a model field.
import { refusals } from "../../core/refusals";
import { jsonHazard } from "../../http/json-guard";
import { isJsonType, readBodyBytes, type BodyLimits, type TimeoutSetter } from "../../http/read-body";

export type CallBody = Record<string, unknown> & { model: string };

const MODEL_HINT = 'you must give a model, e.g. "model": "gpt-4o-mini"';
const JSON_TYPE =
  "application/json (send the header content-type: application/json; curl -d alone sends application/x-www-form-urlencoded)";
const FORM_TYPE = "multipart/form-data (a file upload)";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function decode(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw refusals.badBody("the request body is not valid UTF-8; send JSON as UTF-8");
  }
}

/** The parsed body and its text (sent upstream unchanged when nothing in it needs rewriting).
 * `model` (from the path) is put into the body when given. A request without a content type is read
 * as JSON (it claims no other type); any other type than JSON is refused with 415. */
export async function readCallBody(
  req: Request,
  limits: BodyLimits,
  server: TimeoutSetter,
  model?: string,
): Promise<{ body: CallBody; text: string }> {
  const type = req.headers.get("content-type");
  if (type !== null && !isJsonType(type)) throw refusals.unsupportedMediaType(type, JSON_TYPE);
  const text = decode(await readBodyBytes(req, limits, server));
  const hazard = jsonHazard(text);
  if (hazard?.problem === "duplicate_key") {
    const key = hazard.key.slice(0, 100);
    throw refusals.badBody(
      `the key "${key}" appears twice in one object of the request body (${hazard.depth === 1 ? "at the top level" : `${hazard.depth} levels deep`}); send each key once`,
      key,
    );
  }
  if (hazard) throw refusals.badBody(`the request body nests objects and arrays more than ${hazard.limit} levels deep`);
  let body: unknown;
  try {
    body = text === "" && model ? {} : JSON.parse(text);
  } catch {
    throw refusals.badBody("the request body is not valid JSON");
  }
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw refusals.badBody("the request body must be a JSON object");
  if (model !== undefined) (body as Record<string, unknown>).model = model;
  const named = (body as Record<string, unknown>).model;
  if (typeof named !== "string" || named.trim() === "") throw refusals.badBody(MODEL_HINT, "model");
  return { body: body as CallBody, text };
}

/** A multipart body (image edits, transcriptions): its string fields as the call body, and the form. */
export async function readFormBody(
  req: Request,
  limits: BodyLimits,
  server: TimeoutSetter,
): Promise<{ body: CallBody; form: FormData }> {
  const type = req.headers.get("content-type");
  if (!type?.toLowerCase().startsWith("multipart/form-data")) throw refusals.unsupportedMediaType(type, FORM_TYPE);
  const bytes = await readBodyBytes(req, limits, server);
  let form: FormData;
  try {
    form = await new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { "content-type": type } }).formData();
  } catch {
    throw refusals.badBody("the multipart body could not be read");
  }
  const body: Record<string, unknown> = {};
  for (const [k, v] of form.entries()) {
    if (typeof v !== "string") continue;
    // a field given twice is as ambiguous as a JSON key given twice (lists are named "field[]")
    if (Object.hasOwn(body, k) && !k.endsWith("[]"))
      throw refusals.badBody(`the form field "${k.slice(0, 100)}" is given twice; send it once`, k.slice(0, 100));
    body[k] = v;
  }
  if (typeof body.model !== "string" || body.model.trim() === "") throw refusals.badBody(MODEL_HINT, "model");
  return { body: body as CallBody, form };
}
