// Money for one /v1 call: before forwarding, decide how it is billed (check 10) and hold an upper
// bound of its cost (check 11); at the end, settle to the real cost at the multiplier of the group
// that served, or give the whole hold back. Balances live in the snapshot; the ledger persists.
import { decideBilling, holdAmount, perCallCost, usageCost, type BillingKind, type PriceEntry } from "../../core/billing";
import { checkQuota } from "../../core/access";
import { affordableOutput, available, leastOutput, outputAsk, planOutput } from "../../core/hold";
import { formatMicros } from "../../core/money";
import { release, reserve, settle, type Hold, type Settlement } from "../../core/quota";
import { refusals } from "../../core/refusals";
import type { TokenEntry, UserEntry } from "../../core/snapshot";
import { promptText } from "../../core/text";
import { countTokens } from "../../core/tokenizer";
import type { Usage } from "../../core/billing";
import { AppError } from "../../errors";
import type { CallBody } from "./body";
import type { EndpointSpec } from "../entry/endpoints";
import type { Runtime } from "../../runtime";

/** The output limit the hold puts on the call: its tokens, what the call asked (null: nothing), and
 * why: the balance covers no more ("balance"), or the call named no limit ("hold_cap"). */
export type OutputLimit = { tokens: number; asked: number | null; reason: "balance" | "hold_cap" };

export type CallBilling = {
  kind: BillingKind;
  price: PriceEntry;
  n: number;
  hold: Hold;
  /** sent upstream in the wire format's field (null: the call's own ask stands) */
  outputLimit: OutputLimit | null;
  /** the prompt's o200k tokens, counted on first need (and only once) */
  promptTokens: () => Promise<number>;
};

/** Highest multiplier among the token's groups that have a channel for the model (the hold's m). */
function holdMultiplier(rt: Runtime, groups: string[], model: string): number {
  const snap = rt.ctx.snapshot.current;
  let m = 0;
  for (const g of groups) {
    if (snap.routes.get(g)?.get(model)?.length) m = Math.max(m, snap.groupsByName.get(g)?.multiplierMicros ?? 1_000_000);
  }
  return m;
}

/** Endpoints whose output has a limit to send upstream (the others hold their whole bound or refuse). */
const LIMITABLE = new Set<string>(["chat", "completions", "responses", "messages", "gemini"]);

/** An upper bound of the prompt's o200k tokens: every token is at least one UTF-8 byte, so the
 * byte count bounds it for free; only when that bound is not affordable are the tokens counted. */
const FRAMING = 16;

/** Checks 10 and 11 and takes the hold. The ledger records the hold in the same synchronous step as
 * the in-memory deduction, so no service write can ever see one without the other. */
export async function holdFor(
  rt: Runtime,
  who: { requestId: string; token: TokenEntry; user: UserEntry },
  body: CallBody,
  groups: string[],
  spec?: EndpointSpec,
): Promise<CallBilling> {
  const { token, user } = who;
  const snap = rt.ctx.snapshot.current;
  const price = snap.prices.get(body.model);
  const kind = spec?.perCallOnly ? perCallOnly(price, body.model, spec.path) : decideBilling(token.billingMode, price, body.model);
  if (kind instanceof AppError) throw kind;
  const exhausted = checkQuota(token, user);
  if (exhausted) throw exhausted;
  const p = price!;
  const m = holdMultiplier(rt, groups, body.model);
  const n = typeof body.n === "number" && body.n >= 1 ? Math.floor(body.n) : 1;
  const text = kind === "usage" ? promptText(body) : "";
  let counted: Promise<number> | null = null;
  const promptTokens = () => (counted ??= countTokens(text || promptText(body)));
  const take = (amount: number) => {
    const live = liveEntries(rt, token, user);
    const h = reserve(live.token, live.user, amount);
    if (typeof h !== "string") rt.ctx.ledger.hold({ requestId: who.requestId, tokenId: token.id, userId: user.id }, h);
    return h;
  };
  const billing = (hold: Hold, outputLimit: OutputLimit | null): CallBilling => ({ kind, price: p, n, hold, outputLimit, promptTokens });
  if (kind === "per_call") {
    const amount = holdAmount(kind, p, m, 0, 0, n);
    const hold = take(amount);
    if (typeof hold === "string") throw refused(rt, token, user, hold, amount, `the per-call price${n > 1 ? ` × ${n}` : ""}`);
    return billing(hold, null);
  }

  const turns = [body.messages, body.contents, body.input].find(Array.isArray)?.length ?? 1;
  const framing = FRAMING + 4 * turns;
  const ask = outputAsk(body);
  const limitable = !spec || LIMITABLE.has(spec.endpoint);
  const least = leastOutput(body, snap.relay.minOutputTokens);
  /** the output plan at a prompt bound, against the balances as they are now */
  const plan = (promptBound: number) => {
    const live = liveEntries(rt, token, user);
    const amount = available(live.token, live.user);
    // the usual case, the whole bound fits, costs one plain-number hold amount
    const fits = amount === Infinity || holdAmount(kind, p, m, promptBound, ask ?? p.holdCapTokens, n) <= amount;
    const affordable = fits ? Infinity : affordableOutput(amount, p, m, promptBound, n);
    return planOutput({ ask, holdCap: p.holdCapTokens, affordable, least: least.tokens, limitable, held: amount !== Infinity });
  };
  let promptBound = Buffer.byteLength(text) + framing;
  let out = plan(promptBound);
  if (!out || out.lowered) {
    // the byte bound is not affordable: the counted prompt may be
    promptBound = (await promptTokens()) + framing;
    out = plan(promptBound);
  }
  if (!out) {
    const want = ask ?? p.holdCapTokens;
    const tokens = limitable ? Math.min(least.tokens, want) : want;
    const covers = `a prompt of at most ${promptBound} tokens and ${n > 1 ? `${n} × ` : ""}${tokens} output tokens${least.thinking && limitable ? `, ${least.thinking} of them to think` : ""}`;
    throw refused(rt, token, user, null, holdAmount(kind, p, m, promptBound, tokens, n), covers);
  }
  const hold = take(holdAmount(kind, p, m, promptBound, out.tokens, n));
  if (typeof hold === "string") throw refused(rt, token, user, hold, holdAmount(kind, p, m, promptBound, out.tokens, n), `a prompt of at most ${promptBound} tokens and ${out.tokens} output tokens`);
  const limit: OutputLimit | null = out.limit === null ? null : { tokens: out.limit, asked: ask ?? null, reason: out.lowered ? "balance" : "hold_cap" };
  return billing(hold, limit);
}

/** The refusal of a call the balances cannot cover, naming the one that falls short, what it has
 * left and what the call needs at least. */
function refused(rt: Runtime, token: TokenEntry, user: UserEntry, short: "token" | "user" | null, needs: number, covers: string) {
  const live = liveEntries(rt, token, user);
  const what = short ?? (!live.token.unlimitedQuota && live.token.remainQuota < needs ? "token" : "user");
  const left = what === "token" ? live.token.remainQuota : live.user.quota;
  return refusals.insufficientQuota(what, { left, needs, covers });
}

/** Endpoints without metered usage (audio, image edits) are billed per call, whatever the key's mode. */
function perCallOnly(price: PriceEntry | undefined, model: string, path: string): BillingKind | AppError {
  return price?.perCall !== null && price?.perCall !== undefined ? "per_call" : refusals.perCallPriceNotSet(model, path);
}

/** The call's real cost at the serving group's multiplier. */
export function costOf(rt: Runtime, b: CallBilling, group: string, usage: Usage | undefined): number {
  const m = rt.ctx.snapshot.current.groupsByName.get(group)?.multiplierMicros ?? 1_000_000;
  if (b.kind === "per_call") return perCallCost(b.price, b.n, m);
  return usageCost(usage ?? { prompt: 0, cached: 0, completion: 0 }, b.price, m);
}

/** The entries as they are now: a service may have replaced them since the call began. */
export function liveEntries(rt: Runtime, token: TokenEntry, user: UserEntry) {
  const snap = rt.ctx.snapshot.current;
  return { token: snap.tokensByHash.get(token.keyHash) ?? token, user: snap.usersById.get(user.id) ?? user };
}

export function settleHold(rt: Runtime, token: TokenEntry, user: UserEntry, b: CallBilling, cost: number | null): Settlement {
  const live = liveEntries(rt, token, user);
  return cost === null ? release(live.token, live.user, b.hold) : settle(live.token, live.user, b.hold, cost);
}

const usd = (micros: number | null) => (micros === null ? null : formatMicros(micros));

/** The output limit the hold sent upstream, for the row's `other` (nothing when the call's ask stood). */
export const outputLimitDetail = (b: CallBilling) => (b.outputLimit ? { output_limit: b.outputLimit } : {});

/** The `other` JSON of a billed row: how the cost came about. */
export function billingDetails(rt: Runtime, b: CallBilling, group: string, usage: Usage | undefined, cost: number, s: Settlement) {
  return {
    billing: b.kind,
    prices: { input: usd(b.price.input), output: usd(b.price.output), cached_input: usd(b.price.cachedInput ?? b.price.input), cache_write: usd(b.price.cacheWrite ?? b.price.input), per_call: usd(b.price.perCall) },
    group,
    group_multiplier: formatMicros(rt.ctx.snapshot.current.groupsByName.get(group)?.multiplierMicros ?? 1_000_000),
    n: b.n,
    ...outputLimitDetail(b),
    usage: usage ?? null,
    cost,
    hold: b.hold.amount,
    refund: Math.max(0, b.hold.amount - s.charged),
    shortfall: s.shortfall,
  };
}
