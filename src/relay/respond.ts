// Turning a successful upstream reply into the client's response, metered: JSON bodies are passed
// on as they are and their usage read from the text; streams go through relayStream and are
// metered when they end. Usage the upstream did not report is counted (o200k_base).
import { refusals } from "../core/refusals";
import { generatedText, promptText } from "../core/text";
import { countTokens } from "../core/tokenizer";
import type { Usage } from "../core/usage";
import type { CallBody } from "./body";
import { finishCall, type CallRecord } from "./call-log";
import { StreamMeter } from "./meter";
import type { Provider } from "./providers/types";
import type { Runtime } from "./runtime";
import { relayStream, type StreamResult } from "./stream";
import { unwatch, watchIdle } from "./watchdog";

const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache", "x-accel-buffering": "no" };

async function countedUsage(body: CallBody, completionText: string, reported: Usage | null): Promise<Usage> {
  if (reported) return reported;
  const [prompt, completion] = await Promise.all([countTokens(promptText(body)), countTokens(completionText)]);
  return { prompt, completion, cached: 0 };
}

export async function respondJson(
  rt: Runtime,
  call: CallRecord,
  provider: Provider,
  body: CallBody,
  upstream: Response,
  abortUpstream: () => void,
  idleMs: number,
) {
  // a body that stalls past the idle limit (or breaks off) fails the call as 502 upstream_error
  const watch = watchIdle(idleMs, abortUpstream);
  const text = await upstream
    .text()
    .catch(() => {
      throw refusals.upstream();
    })
    .finally(() => unwatch(watch));
  const reported = provider.usageFromJson(text);
  const usage = reported ?? (await countedUsage(body, generatedText(text), null));
  const firstByteAt = performance.now();
  finishCall(rt, call, { status: upstream.status, usage, firstByteAt, billable: true });
  return new Response(text, {
    status: upstream.status,
    headers: { "content-type": upstream.headers.get("content-type") ?? "application/json", "x-request-id": call.requestId },
  });
}

export function respondStream(rt: Runtime, call: CallRecord, body: CallBody, upstream: Response, abortUpstream: () => void, idleMs: number) {
  const meter = new StreamMeter();
  const stripUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage !== true;
  const onEnd = async (result: StreamResult) => {
    const release = rt.ctx.ledger.reserve(); // counting may load the tokenizer: shutdown waits for this row
    try {
      await meterAndLog(result);
    } finally {
      release();
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
      result.end === "client_gone"
        ? "client_disconnected"
        : result.end === "cut"
          ? result.idle
            ? "upstream_idle_timeout"
            : "upstream_stream_interrupted"
          : undefined;
    // billed for what reached the client: a stream cut before any output (a role event is not
    // output) costs nothing
    const billable = result.end === "done" || usage.completion > 0;
    finishCall(rt, call, { status: 200, usage, firstByteAt: result.firstChunkAt, errorCode, billable });
  };
  const stream = relayStream(upstream.body!, { meter, stripUsage, idleMs, abortUpstream, onEnd: (r) => void onEnd(r) });
  return new Response(stream, { status: 200, headers: { ...SSE_HEADERS, "x-request-id": call.requestId } });
}
