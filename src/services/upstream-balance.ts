// Reading upstream balances: on demand (the console's Refresh, POST /api/channel/:id/balance,
// `apiyi channel balance`) and every upstream_balance_minutes in the server (channels an admin
// disabled are left alone). One GET (two for one-api style) through the egress guard, with the
// channel's first usable key, within a deadline and a body limit. The threshold rule: a channel with a
// threshold leaves rotation when a reading is below it and comes back with a reading at or above it; a
// failed read changes neither (it is recorded with its cause). Going below raises the admin alert
// "upstream balance low" (where the caller passes one: the server). Keys never reach errors or logs.
import type { AlertDetail } from "../core/alerts";
import { redact } from "../core/redact";
import { CHANNEL_STATUS, KEY_STATUS } from "../core/status";
import {
  balanceApi,
  balanceLow,
  balanceUrls,
  parseBalance,
  parseSavedBalance,
  type BalanceReading,
  type SavedBalance,
} from "../core/upstream-balance";
import { formatBalance } from "../core/channel-state";
import { formatMicros } from "../core/money";
import type { KeyState } from "../core/snapshot";
import type { ChannelRow } from "../db/schema";
import { badRequest, keyed, notFound } from "../errors";
import { getSmall } from "../net/fetch-small";
import { providerFor } from "../relay/wire";
import type { Ctx } from "./context";

export const BALANCE_LIMITS = { deadlineMs: 15_000, maxBytes: 64 * 1024 };

/** Called when a reading takes a channel below its threshold. */
export type LowBalanceAlert = (channel: { id: number; name: string }, detail: AlertDetail) => void;

/** The key a balance is read with: the first usable one, else the first. */
function keyFor(ctx: Ctx, row: ChannelRow): { key: string; keys: string[] } {
  const keys = JSON.parse(ctx.keys.unseal(row.keysSealed)) as string[];
  const states = JSON.parse(row.keyStates) as KeyState[];
  const usable = keys.findIndex((_, i) => (states[i]?.status ?? KEY_STATUS.usable) === KEY_STATUS.usable);
  return { key: keys[Math.max(usable, 0)] ?? "", keys };
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

async function read(ctx: Ctx, row: ChannelRow): Promise<BalanceReading | { error: string }> {
  const api = balanceApi(row.balanceSource, row.type, row.baseUrl);
  if (!api) return { error: "no balance API for this channel" };
  const { key, keys } = keyFor(ctx, row);
  const bodies: unknown[] = [];
  try {
    for (const url of balanceUrls(api, row.baseUrl, ctx.clock.nowMs())) {
      const r = await getSmall(url, { authorization: `Bearer ${key}` }, BALANCE_LIMITS);
      if (r.status !== 200) {
        const said = providerFor(row.type)?.errorMessage(r.text);
        return { error: redact(`the upstream answered ${r.status}${said ? `: ${said}` : ""}`, keys).slice(0, 300) };
      }
      const body = parseJson(r.text);
      if (body === null) return { error: "the upstream's answer is not JSON" };
      bodies.push(body);
    }
  } catch (e) {
    return { error: redact((e as Error).message, keys).slice(0, 300) };
  }
  return parseBalance(api, bodies, row.baseUrl);
}

/** Saves a reading (or the failure to get one) and applies the threshold rule; true when the
 * channel's rotation changed. */
async function save(ctx: Ctx, id: number, r: BalanceReading | { error: string }, onLow?: LowBalanceAlert) {
  const at = ctx.now();
  const changed = await ctx.tx(async () => {
    const row = await ctx.store.channels.byId(id);
    if (!row) return false;
    const was = parseSavedBalance(row.balance);
    const next: SavedBalance =
      "error" in r
        ? { ...was, error: r.error, error_at: at }
        : { micros: r.micros, currency: r.currency, at, low: balanceLow(r.micros, row.balanceThresholdMicros) };
    await ctx.store.channels.update(id, { balance: JSON.stringify(next) });
    if (next.low && !was.low && "micros" in r)
      onLow?.(row, {
        key: "notify.upstreamLow",
        params: {
          balance: formatBalance(r.micros),
          currency: r.currency,
          threshold: formatMicros(row.balanceThresholdMicros),
        },
      });
    return !!next.low !== !!was.low;
  });
  if (changed) await ctx.snapshot.reloadChannels();
}

/** Reads one channel's balance now (400 when it has no balance API). */
export async function refreshBalance(ctx: Ctx, id: number, onLow?: LowBalanceAlert) {
  const row = await ctx.store.channels.byId(id);
  if (!row) throw notFound(keyed("error.channel.notFound", { id }));
  if (!balanceApi(row.balanceSource, row.type, row.baseUrl))
    throw badRequest(keyed("error.channel.noBalanceApi", { id }));
  await save(ctx, id, await read(ctx, row), onLow);
}

/** The scheduled refresh: every channel with a balance API, except those an admin disabled, one after another. */
export async function refreshAllBalances(ctx: Ctx, onLow?: LowBalanceAlert) {
  for (const row of await ctx.store.channels.all()) {
    if (row.status === CHANNEL_STATUS.disabled || !balanceApi(row.balanceSource, row.type, row.baseUrl)) continue;
    try {
      await save(ctx, row.id, await read(ctx, row), onLow);
    } catch (e) {
      console.error(`channel ${row.id}: could not save its balance:`, (e as Error).message);
    }
  }
}

/** The balance column after a new threshold: the last reading judged again (no reading: unchanged). */
export function withThreshold(balanceText: string, thresholdMicros: number): string {
  const b = parseSavedBalance(balanceText);
  if (b.micros === undefined) return balanceText;
  return JSON.stringify({ ...b, low: balanceLow(b.micros, thresholdMicros) });
}
