// Mock upstream, Gemini wire format: POST /v1beta/models/{model}:generateContent, :streamGenerateContent
// (?alt=sse: unnamed CRLF-separated SSE; without it a streamed JSON array), :countTokens, and
// GET /v1beta/models[/{model}]. Key in x-goog-api-key or ?key=; errors as {error:{code, message, status}}
// (a bad key is a 400 INVALID_ARGUMENT with reason API_KEY_INVALID, as Google answers).
// candidatesTokenCount excludes thoughts: completionTokens − reasoningTokens.
import { type Answer, answer, type Ctx, type Dialect, json, retryHeaders, rid } from "./core";
import { delta, type Ev, sseCRLF, streamResponse } from "./stream";

const STATUSES: Record<number, [string, string]> = {
  400: ["INVALID_ARGUMENT", "Invalid value at 'generation_config.temperature' (TYPE_FLOAT), \"hot\""],
  401: ["UNAUTHENTICATED", "Request had invalid authentication credentials."],
  403: ["PERMISSION_DENIED", "The caller does not have permission"],
  404: ["NOT_FOUND", "Requested entity was not found."],
  429: ["RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."],
  500: [
    "INTERNAL",
    "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
  ],
  503: ["UNAVAILABLE", "The model is overloaded. Please try again later."],
  504: ["DEADLINE_EXCEEDED", "Deadline expired before operation could complete."],
};

function googleError(code: number, message?: string, details?: object[], headers: Record<string, string> = {}) {
  const [status, text] = STATUSES[code] ?? ["UNKNOWN", `Upstream error ${code}.`];
  return json({ error: { code, message: message ?? text, status, ...(details ? { details } : {}) } }, code, headers);
}

function usageMetadata({ s }: Ctx) {
  const u: Record<string, number> = {
    promptTokenCount: s.promptTokens,
    candidatesTokenCount: s.completionTokens - (s.reasoningTokens ?? 0),
    totalTokenCount: s.promptTokens + s.completionTokens,
  };
  if (s.cachedTokens !== undefined) u.cachedContentTokenCount = s.cachedTokens;
  if (s.reasoningTokens !== undefined) u.thoughtsTokenCount = s.reasoningTokens;
  return u;
}

/** The answer's parts: [thought], then text or a functionCall. */
function parts(a: Answer): object[] {
  const out: object[] = a.reasoning ? [{ text: a.reasoning, thought: true }] : [];
  return [...out, a.tool ? { functionCall: { name: a.tool.name, args: a.tool.args } } : { text: a.text }];
}

function generate(ctx: Ctx, stream: boolean) {
  const a = answer(ctx);
  const responseId = rid("").slice(0, 22);
  const chunk = (p: object[], last = false) => {
    const candidate: Record<string, unknown> = { content: { role: "model", parts: p }, index: 0 };
    if (last) candidate.finishReason = "STOP";
    const out: Record<string, unknown> = { candidates: [candidate] };
    if (last && ctx.s.mode !== "no_usage") out.usageMetadata = usageMetadata(ctx);
    return { ...out, modelVersion: ctx.model, responseId };
  };
  if (!stream) return json(chunk(parts(a), true));
  const deltas = [
    ...a.reasoningPieces.map((r) => [{ text: r, thought: true }]),
    ...(a.tool ? [parts(a).slice(-1)] : a.pieces.map((p) => [{ text: p }])),
  ];
  const bodies = [...deltas.map((p) => chunk(p)), chunk([{ text: "" }], true)];
  if (ctx.url.searchParams.get("alt") === "sse")
    return streamResponse(
      ctx,
      bodies.map((b, i) => (i < deltas.length ? delta(sseCRLF(b)) : sseCRLF(b))),
    );
  // without alt=sse Google streams one JSON array, element by element
  const plan: Ev[] = bodies.map((b, i) => ({
    frame: `${i ? ",\r\n" : "["}${JSON.stringify(b)}`,
    delta: i < deltas.length,
  }));
  return streamResponse(ctx, [...plan, { frame: "]" }], { "content-type": "application/json" });
}

const DEFAULT_MODELS = ["gemini-2.5-flash", "gemini-2.5-pro", "text-embedding-004"];

function modelInfo(id: string) {
  const embed = id.includes("embedding");
  const methods = embed
    ? ["embedContent"]
    : ["generateContent", "countTokens", "createCachedContent", "streamGenerateContent"];
  return {
    name: `models/${id}`,
    version: "001",
    displayName: id,
    description: `Mock ${id}`,
    inputTokenLimit: 1048576,
    outputTokenLimit: 65536,
    supportedGenerationMethods: methods,
  };
}

const CALL = /^\/v1beta\/models\/([^/:]+):([A-Za-z]+)$/;

export const gemini: Dialect = {
  key: (req, url) => req.headers.get("x-goog-api-key") ?? url.searchParams.get("key") ?? "",
  unauthorized: () =>
    googleError(400, "API key not valid. Please pass a valid API key.", [
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        reason: "API_KEY_INVALID",
        domain: "googleapis.com",
        metadata: { service: "generativelanguage.googleapis.com" },
      },
    ]),
  status: ({ s }) => {
    const retry =
      s.status === 429 && s.retryAfter !== undefined
        ? [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${s.retryAfter}s` }]
        : undefined;
    return googleError(s.status, undefined, retry, retryHeaders(s));
  },
  badRequest: () => googleError(400, "Invalid JSON payload received."),
  notFound: (ctx) => googleError(404, `Requested entity was not found: ${ctx.rec.method} ${ctx.rec.path}`),
  model: (path) => CALL.exec(path)?.[1] ?? /^\/v1beta\/models\/([^/:]+)$/.exec(path)?.[1],
  route(ctx) {
    const { method, path } = ctx.rec;
    const ids = ctx.models ?? DEFAULT_MODELS;
    if (method === "GET" && path === "/v1beta/models") return json({ models: ids.map(modelInfo) });
    if (method === "GET" && ctx.model && path === `/v1beta/models/${ctx.model}`)
      return ids.includes(ctx.model) ? json(modelInfo(ctx.model)) : null;
    const call = method === "POST" ? CALL.exec(path) : null;
    if (call?.[2] === "generateContent") return generate(ctx, false);
    if (call?.[2] === "streamGenerateContent") return generate(ctx, true);
    if (call?.[2] === "countTokens") return json({ totalTokens: ctx.s.promptTokens });
    return null;
  },
};
