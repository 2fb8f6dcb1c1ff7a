// Settling one call's hold at its end: the real cost at the multiplier of the group that served
// (per call, or by usage), charged as far as the balances allow with the rest of the hold given back;
// or, for a call that is not billed, the whole hold back. Also the `other` detail of the log row that
// says how the cost came about. The ledger persists the result with the row (settle/record.ts).
import { crossedBelow } from "../../core/alerts";
import { perCallCost, usageCost, type Usage } from "../../core/billing";
import { formatMicros } from "../../core/money";
import type { Hold, Settlement } from "../../core/quota";
import type { TokenEntry, UserEntry } from "../../core/snapshot";
import type { Runtime } from "../../runtime";
import { liveEntries, type CallBilling } from "../checks/hold";

const multiplierOf = (rt: Runtime, group: string) =>
  rt.ctx.snapshot.current.groupsByName.get(group)?.multiplierMicros ?? 1_000_000;

/** The call's real cost at the serving group's multiplier. */
function costOf(rt: Runtime, b: CallBilling, group: string, usage: Usage | undefined): number {
  const m = multiplierOf(rt, group);
  if (b.kind === "per_call") return perCallCost(b.price, b.n, m);
  return usageCost(usage ?? { prompt: 0, cached: 0, completion: 0 }, b.price, m);
}

/** What settling did, for the log row: the amount charged, the balance changes, and `other`. */
export type Settled = { settlement: Settlement; other: string; hold: Hold };

/** Settles the hold: to `usage`'s cost when the call is billable, else back whole. */
export function settleCall(
  rt: Runtime,
  who: { token: TokenEntry; user: UserEntry; group: string },
  b: CallBilling,
  billable: boolean,
  usage: Usage | undefined,
): Settled {
  const cost = billable ? costOf(rt, b, who.group, usage) : null;
  const entries = liveEntries(rt, who.token, who.user);
  const live = rt.ctx.accounts.view(entries.token, entries.user);
  // the balance as it was before this call (its hold is not spent yet), for the low-balance alert
  const before = live.user.quota + b.hold.userAmount;
  const s = rt.ctx.accounts.settle(live, b.hold, cost);
  if (crossedBelow(before, live.user.quota, live.user.alertThreshold) && !live.user.unlimited)
    rt.alerts.balanceLow(live.user.id, live.user.quota, live.user.alertThreshold);
  const other =
    cost === null
      ? { billing: b.kind, ...outputLimitDetail(b), hold: b.hold.amount, refund: b.hold.amount, cost: 0 }
      : billingDetails(rt, b, who.group, usage, cost, s);
  return { settlement: s, other: JSON.stringify(other), hold: b.hold };
}

const usd = (micros: number | null) => (micros === null ? null : formatMicros(micros));

/** The prices as the log row's `other` states them, formatted once per price entry (a snapshot's
 * entries never change; a reload makes new ones). */
const statedPrices = new WeakMap<CallBilling["price"], Record<string, string | null>>();
function pricesDetail(price: CallBilling["price"]) {
  let stated = statedPrices.get(price);
  if (!stated) {
    stated = {
      input: usd(price.input),
      output: usd(price.output),
      cached_input: usd(price.cachedInput ?? price.input),
      cache_write: usd(price.cacheWrite ?? price.input),
      per_call: usd(price.perCall),
    };
    statedPrices.set(price, stated);
  }
  return stated;
}

/** The output limit the hold sent upstream, for the row's `other` (nothing when the call's ask stood). */
const outputLimitDetail = (b: CallBilling) => (b.outputLimit ? { output_limit: b.outputLimit } : {});

/** The `other` JSON of a billed row: how the cost came about. */
function billingDetails(
  rt: Runtime,
  b: CallBilling,
  group: string,
  usage: Usage | undefined,
  cost: number,
  s: Settlement,
) {
  return {
    billing: b.kind,
    prices: pricesDetail(b.price),
    group,
    group_multiplier: formatMicros(multiplierOf(rt, group)),
    n: b.n,
    ...outputLimitDetail(b),
    usage: usage ?? null,
    cost,
    hold: b.hold.amount,
    refund: Math.max(0, b.hold.amount - s.charged),
    shortfall: s.shortfall,
  };
}
