// Mock upstream, OpenAI wire format beyond chat: embeddings, image generations and edits (multipart),
// text-to-speech (audio bytes), transcriptions (multipart, JSON or text/plain), and the models list.
import { answer, type Ctx, json, now } from "./core";
import { openaiBadRequest } from "./openai-errors";

/** A few deterministic floats per input; base64 (little-endian float32) when asked, as the SDK does. */
export function embeddings(ctx: Ctx) {
  const { body } = ctx;
  const input = body.input;
  const inputs: unknown[] = Array.isArray(input) && input.length > 0 && typeof input[0] !== "number" ? input : [input];
  const dims = typeof body.dimensions === "number" ? body.dimensions : 4;
  const data = inputs.map((item, index) => {
    const seed = JSON.stringify(item ?? "").length;
    const vec = Array.from({ length: dims }, (_, j) => Math.round(Math.sin(seed + j) * 1e4) / 1e4);
    const embedding =
      body.encoding_format === "base64" ? Buffer.from(new Float32Array(vec).buffer).toString("base64") : vec;
    return { object: "embedding", index, embedding };
  });
  const u = { prompt_tokens: ctx.s.promptTokens, total_tokens: ctx.s.promptTokens };
  return json(
    ctx.s.mode === "no_usage"
      ? { object: "list", data, model: ctx.model }
      : { object: "list", data, model: ctx.model, usage: u },
  );
}

/** Generations (JSON) and edits (multipart, where n is a string): n urls, or b64_json when asked. */
export function images({ body, origin }: Ctx) {
  const n = Number(body.n ?? 1) || 1;
  const png = Buffer.from("\x89PNG\r\n\x1a\nmock-image").toString("base64");
  const item = (i: number) =>
    body.response_format === "b64_json" ? { b64_json: png } : { url: `${origin}/files/image-${i}.png` };
  return json({
    created: now(),
    data: Array.from({ length: n }, (_, i) => ({ ...item(i), revised_prompt: body.prompt })),
  });
}

export function imageEdits(ctx: Ctx) {
  const { body } = ctx;
  if (!body.image && !body["image[]"]) return openaiBadRequest("Missing required parameter: 'image'.");
  if (!body.prompt) return openaiBadRequest("Missing required parameter: 'prompt'.");
  return images(ctx);
}

const AUDIO_TYPES: Record<string, string> = {
  mp3: "audio/mpeg",
  opus: "audio/ogg",
  aac: "audio/aac",
  flac: "audio/flac",
  wav: "audio/wav",
  pcm: "audio/pcm",
};

/** A few hundred bytes of fake audio: an ID3 tag, an MPEG frame header, then filler tied to the input. */
export function speech({ body }: Ctx) {
  if (typeof body.input !== "string") return openaiBadRequest("Missing required parameter: 'input'.");
  const format = typeof body.response_format === "string" ? body.response_format : "mp3";
  const bytes = new Uint8Array(256 + Math.min(body.input.length, 512));
  bytes.set([0x49, 0x44, 0x33, 0x04, 0, 0, 0, 0, 0, 0, 0xff, 0xfb, 0x90, 0x64]);
  for (let i = 14; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
  return new Response(bytes, { headers: { "content-type": AUDIO_TYPES[format] ?? "audio/mpeg" } });
}

/** {text} (with token usage), verbose_json, or text/plain when response_format is "text". */
export function transcriptions(ctx: Ctx) {
  const { body, s } = ctx;
  if (!body.file || typeof body.file !== "object") return openaiBadRequest("Missing required parameter: 'file'.");
  const text = answer(ctx).text;
  if (body.response_format === "text")
    return new Response(text + "\n", { headers: { "content-type": "text/plain; charset=utf-8" } });
  if (body.response_format === "verbose_json")
    return json({ task: "transcribe", language: "english", duration: 1.5, text, segments: [] });
  const usage = {
    type: "tokens",
    input_tokens: s.promptTokens,
    output_tokens: s.completionTokens,
    total_tokens: s.promptTokens + s.completionTokens,
  };
  return json(s.mode === "no_usage" ? { text } : { text, usage });
}

export const models = (ids: string[]) =>
  json({ object: "list", data: ids.map((id) => ({ id, object: "model", created: 1700000000, owned_by: "mock" })) });
