// A channel's state in one word for people (the console, GET /api/channel/, `apiyi channel list`),
// with what explains it: disabled by an admin; disabled automatically, and why; out of rotation for a
// low upstream balance; breaker open, until when (or half-open: the next call or test decides); enabled.
import { formatMicros } from "./money";
import { CHANNEL_STATUS } from "./status";

export type ChannelStateName = "enabled" | "breaker_open" | "balance_low" | "auto_disabled" | "admin_disabled";

export type StateInput = {
  status: number;
  statusReason: string;
  breaker: "closed" | "open" | "half_open";
  /** unix ms; 0 when closed */
  openUntil: number;
  balance: { low: boolean; micros?: number; currency?: string; thresholdMicros: number };
};

const signed = (micros: number) => (micros < 0 ? `-${formatMicros(-micros)}` : formatMicros(micros));
const utc = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");

export function channelState(c: StateInput): { state: ChannelStateName; detail: string } {
  if (c.status === CHANNEL_STATUS.disabled) return { state: "admin_disabled", detail: "disabled by an admin" };
  if (c.status === CHANNEL_STATUS.autoDisabled)
    return { state: "auto_disabled", detail: `disabled automatically${c.statusReason ? `: ${c.statusReason}` : ""}` };
  if (c.balance.low) {
    const { micros, currency = "", thresholdMicros } = c.balance;
    const amount = micros === undefined ? "" : ` ${signed(micros)} ${currency}`.trimEnd();
    return {
      state: "balance_low",
      detail: `out of rotation: upstream balance${amount} below the threshold ${formatMicros(thresholdMicros)}`,
    };
  }
  if (c.breaker === "open") return { state: "breaker_open", detail: `breaker open until ${utc(c.openUntil)}` };
  if (c.breaker === "half_open")
    return { state: "breaker_open", detail: "breaker half-open: the next call or test decides" };
  return { state: "enabled", detail: "enabled" };
}

/** A balance in millionths, signed, for people: -1.5, 12.34. */
export const formatBalance = signed;
