// The record of one /v1 call as it goes, and the log row it becomes (queued, written in batches).
import { refusals } from "../../core/refusals";
import type { TokenEntry, UserEntry } from "../../core/snapshot";
import type { Usage } from "../../core/billing";
import { LOG_TYPE, type NewLog } from "../../store/logs";
import { billingDetails, costOf, outputLimitDetail, settleHold, type CallBilling } from "../checks/hold";
import type { Runtime } from "../../runtime";

/** `cause`: what went wrong in words, naming the upstream's host (admins see it, users do not) */
export type AttemptLog = { channel_id: number; status: number; ms: number; error?: string; cause?: string };

export type CallRecord = {
  requestId: string;
  endpoint: string;
  createdAt: number;
  started: number;
  ip: string;
  token?: TokenEntry;
  user?: UserEntry;
  model: string;
  upstreamModel: string;
  group: string;
  channelId: number;
  stream: boolean;
  attempts: AttemptLog[];
  billing?: CallBilling;
  /** the current attempt's request went upstream (relay/attempt/attempt.ts says when that is) */
  sentUpstream?: boolean;
};

export const newCall = (endpoint: string, ip: string): CallRecord => ({
  requestId: Bun.randomUUIDv7(), // time-ordered: cheap to append to the request_id index
  endpoint,
  createdAt: Date.now(),
  started: performance.now(),
  ip,
  model: "",
  upstreamModel: "",
  group: "",
  channelId: 0,
  stream: false,
  attempts: [],
});

export type CallEnd = {
  status: number;
  errorCode?: string;
  usage?: Usage;
  /** performance.now() when the first byte of the answer reached the client */
  firstByteAt?: number | null;
  message?: string;
  /** the upstream served and something reached the client: the call is billed (else the hold goes back) */
  billable?: boolean;
};

/** Queues the call's log row (calls without a known token are not logged) and counts it in metrics.
 * A call its client abandoned after its request went upstream is billed at least its prompt
 * (counted locally when no usage came back): the upstream has it, and bills for it. */
export function finishCall(rt: Runtime, call: CallRecord, end: CallEnd) {
  const now = performance.now();
  const duration = now - call.started;
  const ttft = end.firstByteAt ? end.firstByteAt - call.started : null;
  rt.metrics.call(call.endpoint, call.group ? call.model : "", call.group, end.status, duration / 1000, ttft === null ? null : ttft / 1000);
  if (!call.token || !call.user) return;
  // the drain's deadline passed and the server closed the connection: not the client's doing
  if (rt.life.cutting && end.errorCode === "client_disconnected") end = { ...end, status: 503, errorCode: "server_shutting_down", message: refusals.shuttingDown().message };
  const b = call.billing;
  if (b && !end.billable && end.errorCode === "client_disconnected" && call.sentUpstream) return void billAbandoned(rt, call, end, b, duration);
  writeRow(rt, call, end, duration);
}

async function billAbandoned(rt: Runtime, call: CallRecord, end: CallEnd, b: CallBilling, duration: number) {
  const release = rt.ctx.ledger.reserve(); // counting may load the tokenizer: shutdown waits for this row
  try {
    const usage = end.usage ?? { prompt: b.kind === "usage" ? await b.promptTokens() : 0, completion: 0, cached: 0 };
    writeRow(rt, call, { ...end, usage, billable: true }, duration);
  } finally {
    release();
  }
}

function writeRow(rt: Runtime, call: CallRecord, end: CallEnd, duration: number) {
  if (!call.token || !call.user) return;
  const ttft = end.firstByteAt ? end.firstByteAt - call.started : null;
  call.token.accessedTime = Math.floor(call.createdAt / 1000);
  const failed = end.status >= 400 || !!end.errorCode;
  const row: NewLog = {
    createdAt: call.createdAt,
    type: failed ? LOG_TYPE.error : LOG_TYPE.consume,
    userId: call.user.id,
    username: call.user.username,
    tokenId: call.token.id,
    tokenName: call.token.name,
    model: call.model,
    upstreamModel: call.upstreamModel,
    group: call.group,
    channelId: call.channelId,
    endpoint: call.endpoint,
    isStream: call.stream,
    promptTokens: end.usage?.prompt ?? 0,
    cachedTokens: end.usage?.cached ?? 0,
    completionTokens: end.usage?.completion ?? 0,
    quota: 0,
    durationMs: Math.round(duration),
    ttftMs: ttft === null ? 0 : Math.round(ttft),
    requestId: call.requestId,
    statusCode: end.status,
    errorCode: end.errorCode ?? "",
    ip: call.ip,
    content: end.message ?? "",
    attempts: JSON.stringify(call.attempts),
  };
  const b = call.billing;
  if (!b) return rt.ctx.ledger.push(row);
  const cost = end.billable ? costOf(rt, b, call.group, end.usage) : null;
  const s = settleHold(rt, call.token, call.user, b, cost);
  row.quota = s.charged;
  row.other = JSON.stringify(
    cost === null ? { billing: b.kind, ...outputLimitDetail(b), hold: b.hold.amount, refund: b.hold.amount, cost: 0 } : billingDetails(rt, b, call.group, end.usage, cost, s),
  );
  rt.ctx.ledger.settle({ requestId: call.requestId, tokenId: call.token.id, userId: call.user.id }, s, true, row);
}
