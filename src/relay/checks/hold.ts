// Checks 10 and 11 of a /v1 call: decide how it is billed, and hold an upper bound of its cost (the
// policy is core/hold-policy.ts; settle/settle.ts settles the hold at the call's end). Balances live
// in the snapshot (or quota leases on PostgreSQL: services/accounts.ts); the ledger persists. A token or
// user whose budget period has ended rolls here first.
import { decideBilling, type BillingKind, type PriceEntry } from "../../core/billing";
import { checkQuota } from "../../core/access";
import { leastOutput, outputAsk } from "../../core/hold";
import { holdMultiplier, promptTurns, sizeHold } from "../../core/hold-policy";
import type { Hold } from "../../core/quota";
import { refusals } from "../../core/refusals";
import type { TokenEntry, UserEntry } from "../../core/snapshot";
import { promptText } from "../../core/text";
import { countTokens } from "../../core/tokenizer";
import { AppError } from "../../errors";
import { rollCaller } from "../../services/budget";
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
  /** the most tokens the call may use, for tokens-per-minute limits (worked out on first need) */
  tokenBound: () => TokenBound;
};

/** The prompt's bound (its bytes, or its counted tokens) + framing, plus the output held for (× n). */
export type TokenBound = { value: number; counted: boolean; framing: number; output: number };

/** Endpoints whose output has a limit to send upstream (the others hold their whole bound or refuse). */
const LIMITABLE = new Set<string>(["chat", "completions", "responses", "messages", "gemini"]);

/** Checks 10 and 11 and takes the hold, sized by the policy in core/hold-policy.ts. The ledger
 * records the hold in the same synchronous step as the in-memory deduction, so no service write can
 * ever see one without the other. */
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
  const kind = spec?.perCallOnly
    ? perCallOnly(price, body.model, spec.path)
    : decideBilling(token.billingMode, price, body.model);
  if (kind instanceof AppError) throw kind;
  const now = liveEntries(rt, token, user);
  // a budget period that has ended starts the new one, full (on PostgreSQL: once written there)
  const rolling = rollCaller(rt.ctx, now.token, now.user);
  if (rolling) await rolling;
  const accounts = rt.ctx.accounts;
  const seen = accounts.view(now.token, now.user);
  const exhausted = checkQuota(seen.token, seen.user);
  if (exhausted) throw exhausted;
  const p = price!;
  const n = typeof body.n === "number" && body.n >= 1 ? Math.floor(body.n) : 1;
  const text = kind === "usage" ? promptText(body) : "";
  let counted: Promise<number> | null = null;
  const promptTokens = () => (counted ??= countTokens(text || promptText(body)));
  const ask = outputAsk(body);
  const live = () => {
    const l = liveEntries(rt, token, user);
    return accounts.view(l.token, l.user);
  };
  const size = await sizeHold(
    {
      kind,
      price: p,
      multiplier: holdMultiplier(snap.routes, snap.groupsByName, groups, body.model),
      n,
      ask,
      least: leastOutput(body, snap.relay.minOutputTokens),
      limitable: !spec || LIMITABLE.has(spec.endpoint),
    },
    { bytes: Buffer.byteLength(text), turns: promptTurns(body), tokens: promptTokens },
    live,
  );
  if (size instanceof AppError) throw size;
  const taking = accounts.reserve(live(), size.amount, size.covers);
  const hold = taking instanceof Promise ? await taking : taking; // SQLite answers at once: no extra turn
  if (hold instanceof AppError) throw hold;
  rt.ctx.ledger.hold({ requestId: who.requestId, tokenId: token.id, userId: user.id }, hold);
  const out = size.out;
  const outputLimit: OutputLimit | null =
    !out || out.limit === null
      ? null
      : { tokens: out.limit, asked: ask ?? null, reason: out.lowered ? "balance" : "hold_cap" };
  const { framing } = size;
  const output = (out?.tokens ?? ask ?? p.holdCapTokens) * n;
  const tokenBound = (): TokenBound =>
    size.promptBound !== null
      ? { value: size.promptBound + output, counted: size.counted, framing, output }
      : { value: Buffer.byteLength(text || promptText(body)) + framing + output, counted: false, framing, output };
  return { kind, price: p, n, hold, outputLimit, promptTokens, tokenBound };
}

/** Endpoints without metered usage (audio, image edits) are billed per call, whatever the key's mode. */
function perCallOnly(price: PriceEntry | undefined, model: string, path: string): BillingKind | AppError {
  return price?.perCall !== null && price?.perCall !== undefined
    ? "per_call"
    : refusals.perCallPriceNotSet(model, path);
}

/** The entries as they are now: a service may have replaced them since the call began. */
export function liveEntries(rt: Runtime, token: TokenEntry, user: UserEntry) {
  const snap = rt.ctx.snapshot.current;
  return { token: snap.tokensByHash.get(token.keyHash) ?? token, user: snap.usersById.get(user.id) ?? user };
}
