// Turning a successful upstream reply into the client's response, metered: JSON bodies are passed
// on as they are (or translated into the client's format) and their usage read from the text by the
// upstream's format rules; streams go through relayStream and are metered when they end; binary
// replies (audio) are piped. Usage the upstream did not report is counted (o200k_base).
import type { Usage } from "../../core/billing";
import type { UsageReader } from "../wire/usage";
import { refusals } from "../../core/refusals";
import { generatedText, promptText } from "../../core/text";
import { countTokens } from "../../core/tokenizer";
import type { CallBody } from "../checks/body";
import { finishCall } from "../settle/finish";
import type { CallRecord } from "../settle/record";
import { StreamMeter } from "./meter";
import { redactJsonError } from "./redact-errors";
import type { Runtime } from "../../runtime";
import { relayStream, type StreamResult } from "./stream";
import { readAhead } from "./read-ahead";
import { bodySource, headerOf, readAll } from "../../net/h1/source";
import type { TextStream } from "../wire/translate";
import type { Json } from "../wire/codec";
import { unwatch, watchIdle } from "../attempt/watchdog";

const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache", "x-accel-buffering": "no" };

/** What the relay needs to know of the reply it is turning into a response. */
export type ReplyPlan = {
  /** how the upstream reports usage */
  usage: UsageReader;
  abortUpstream: () => void;
  idleMs: number;
  /** the client speaks another format: the reply's translation */
  translateJson?: (reply: Json) => Json;
  /** the channel's upstream keys, scrubbed from error payloads the upstream sends with a 200 */
  secrets: string[];
  /** the client's request: aborted when it went away */
  client: AbortSignal;
};

async function countedUsage(body: CallBody, completionText: string): Promise<Usage> {
  const [prompt, completion] = await Promise.all([countTokens(promptText(body)), countTokens(completionText)]);
  return { prompt, completion, cached: 0 };
}

/** The whole body, within the idle limit: a body that stalls (or breaks off) fails as 502; one cut
 * because the client went away is the client's 499 (billed: the upstream had the request). */
async function readBody<T>(upstream: Response, plan: ReplyPlan, read: (r: Response) => Promise<T>): Promise<T> {
  const watch = watchIdle(plan.idleMs, plan.abortUpstream);
  return read(upstream)
    .catch(() => {
      throw plan.client.aborted ? refusals.clientGone() : refusals.upstream();
    })
    .finally(() => unwatch(watch));
}

const decoder = new TextDecoder();
/** The reply's bytes, or its text: from the HTTP/1.1 client's chunks (net/h1/source.ts) when it gave
 * them so, else from the Response's own body (what came through Bun's fetch). */
const bytesOf = (r: Response): Promise<Uint8Array<ArrayBuffer> | ArrayBuffer> => {
  const source = bodySource(r);
  return source ? (readAll(source) as Promise<Uint8Array<ArrayBuffer>>) : r.arrayBuffer();
};
const textOf = (r: Response): Promise<string> => {
  const source = bodySource(r);
  return source ? readAll(source).then((b) => decoder.decode(b)) : r.text();
};

export async function respondJson(rt: Runtime, call: CallRecord, body: CallBody, upstream: Response, plan: ReplyPlan) {
  // a small reply has usually arrived with its head: taken at once, no idle watch needed
  const arrived = bodySource(upstream)?.rest();
  const raw = arrived ? decoder.decode(arrived) : await readBody(upstream, plan, textOf);
  let text = redactJsonError(raw, plan.secrets);
  const usage = plan.usage.fromText(text) ?? (await countedUsage(body, generatedText(text)));
  if (plan.translateJson) text = JSON.stringify(plan.translateJson(parseReply(text)));
  finishCall(rt, call, { status: upstream.status, usage, firstByteAt: performance.now(), billable: true });
  const type = plan.translateJson ? "application/json" : (headerOf(upstream, "content-type") ?? "application/json");
  return new Response(text, {
    status: upstream.status,
    headers: { "content-type": type, "x-request-id": call.requestId, ...call.headers },
  });
}

function parseReply(text: string): Json {
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === "object") return parsed;
  } catch {}
  throw refusals.upstream();
}

/** Audio and other bytes: read whole (bounded by the idle limit), billed per call. */
export async function respondBinary(rt: Runtime, call: CallRecord, upstream: Response, plan: ReplyPlan) {
  const bytes = await readBody(upstream, plan, bytesOf);
  finishCall(rt, call, { status: upstream.status, firstByteAt: performance.now(), billable: true });
  const type = headerOf(upstream, "content-type") ?? "application/octet-stream";
  return new Response(bytes, {
    status: upstream.status,
    headers: { "content-type": type, "x-request-id": call.requestId, ...call.headers },
  });
}

export type StreamPlan = ReplyPlan & {
  /** hide the usage-only chunk (chat clients that did not ask for usage) */
  stripUsage: boolean;
  errorEvent: (message: string, code: string) => string;
  transform?: TextStream;
};

/** The log row's error code of a stream that did not finish for a reason of its own. */
const END_CODES = { client_gone: "client_disconnected", shutdown: "server_shutting_down" } as const;

export function respondStream(rt: Runtime, call: CallRecord, body: CallBody, upstream: Response, plan: StreamPlan) {
  const meter = new StreamMeter(plan.usage);
  const onEnd = async (result: StreamResult) => {
    const done = rt.ctx.ledger.expectRow(); // counting may load the tokenizer: shutdown waits for this row
    try {
      await meterAndLog(result);
    } finally {
      done();
    }
  };
  const meterAndLog = async (result: StreamResult) => {
    const reported = result.end === "done" ? meter.reportedUsage() : null;
    const usage = reported ?? {
      prompt: await countTokens(promptText(body)),
      completion: await meter.countedCompletion(),
      cached: 0,
    };
    const errorCode =
      result.end === "done"
        ? undefined
        : result.end === "cut"
          ? result.idle
            ? "upstream_idle_timeout"
            : "upstream_stream_interrupted"
          : END_CODES[result.end];
    // billed for what reached the client: a stream cut before any output (a role event is not
    // output) costs nothing; one the client abandoned costs at least its prompt, which the
    // upstream had (and bills) whatever the client did
    const billable = result.end === "done" || result.end === "client_gone" || usage.completion > 0;
    finishCall(rt, call, { status: 200, usage, firstByteAt: result.firstChunkAt, errorCode, billable });
  };
  const stream = relayStream(bodySource(upstream) ?? readAhead(upstream.body!), {
    meter,
    stripUsage: plan.stripUsage,
    idleMs: plan.idleMs,
    abortUpstream: plan.abortUpstream,
    errorEvent: plan.errorEvent,
    transform: plan.transform,
    secrets: plan.secrets,
    clientGone: () => plan.client.aborted,
    onEnd: (r) => void onEnd(r),
  });
  return new Response(stream, {
    status: 200,
    headers: { ...SSE_HEADERS, "x-request-id": call.requestId, ...call.headers },
  });
}
