// The end of one /v1 call, in order: meter (what the upstream did not report is counted), settle
// (the hold to the real cost, or back), record (the log row, with the settlement). Also counts the
// call in metrics, and says when a cut was the server's doing rather than the client's.
import { refusals } from "../../core/refusals";
import type { Runtime } from "../../runtime";
import type { CallBilling } from "../checks/hold";
import { releaseRate } from "../checks/rate";
import { recordCall, type CallEnd, type CallRecord } from "./record";
import { settleCall } from "./settle";

/** Queues the call's log row (calls without a known token are not logged) and counts it in metrics.
 * A call its client abandoned after its request went upstream is billed at least its prompt
 * (counted locally when no usage came back): the upstream has it, and bills for it. */
export function finishCall(rt: Runtime, call: CallRecord, end: CallEnd) {
  const now = performance.now();
  const duration = now - call.started;
  const ttft = end.firstByteAt ? end.firstByteAt - call.started : null;
  rt.metrics.call(
    call.endpoint,
    call.group ? call.model : "",
    call.group,
    end.status,
    duration / 1000,
    ttft === null ? null : ttft / 1000,
  );
  if (!call.token || !call.user) return;
  // the drain's deadline passed and the server closed the connection: not the client's doing
  if (rt.life.cutting && end.errorCode === "client_disconnected")
    end = { ...end, status: 503, errorCode: "server_shutting_down", message: refusals.shuttingDown().message };
  const b = call.billing;
  if (b && !end.billable && end.errorCode === "client_disconnected" && call.sentUpstream)
    return void billAbandoned(rt, call, end, b, duration);
  settleAndRecord(rt, call, end, duration);
}

async function billAbandoned(rt: Runtime, call: CallRecord, end: CallEnd, b: CallBilling, duration: number) {
  const done = rt.ctx.ledger.expectRow(); // counting may load the tokenizer: shutdown waits for this row
  try {
    const usage = end.usage ?? { prompt: b.kind === "usage" ? await b.promptTokens() : 0, completion: 0, cached: 0 };
    settleAndRecord(rt, call, { ...end, usage, billable: true }, duration);
  } finally {
    done();
  }
}

function settleAndRecord(rt: Runtime, call: CallRecord, end: CallEnd, duration: number) {
  if (!call.token || !call.user) return;
  releaseRate(rt, call.rate, end.billable ? end.usage : undefined);
  const b = call.billing;
  const settled = b
    ? settleCall(rt, { token: call.token, user: call.user, group: call.group }, b, !!end.billable, end.usage)
    : null;
  recordCall(rt, call, end, duration, settled);
}
