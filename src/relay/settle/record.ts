// The record of one /v1 call as it goes, and the log row it becomes (queued, written in batches by
// the ledger, with the settlement of its hold when it had one).
import type { TokenEntry, UserEntry } from "../../core/snapshot";
import type { Usage } from "../../core/billing";
import { LOG_TYPE, type NewLog } from "../../store/logs";
import type { CallBilling } from "../checks/hold";
import type { CallRate } from "../checks/rate";
import type { Settled } from "./settle";
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
  /** what the call took of its rate limits (checks/rate.ts) */
  rate?: CallRate;
  /** the rate-limit headers every answer to this call carries (in its surface's names) */
  headers?: Record<string, string>;
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

/** Writes the call's log row: queued as it is, or, when the call held money, with its settlement in
 * the same ledger step (the row and the balance change it explains are persisted together). */
export function recordCall(rt: Runtime, call: CallRecord, end: CallEnd, duration: number, settled: Settled | null) {
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
  if (!settled) return rt.ctx.ledger.push(row);
  row.quota = settled.settlement.charged;
  row.other = settled.other;
  rt.ctx.ledger.settle(
    { requestId: call.requestId, tokenId: call.token.id, userId: call.user.id },
    settled.settlement,
    settled.hold,
    row,
  );
}
