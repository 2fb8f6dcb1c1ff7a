// Upstream balances, the pure part: the balance APIs apiyi knows, which one a channel uses, the URLs
// to read, how each reply is parsed, and the threshold rule. Amounts are millionths of the upstream's
// currency (its own figure, shown to people; never apiyi's quota units). The fetching is in
// services/upstream-balance.ts.
//   oneapi      one-api / new-api style resellers: GET {base}/dashboard/billing/subscription
//               (hard_limit_usd) and {base}/dashboard/billing/usage (total_usage, US cents); USD
//   openrouter  GET {base}/credits → {data: {total_credits, total_usage}}; USD
//   deepseek    GET {origin}/user/balance → {is_available, balance_infos: [{currency, total_balance}]}
//   siliconflow GET {base}/user/info → {data: {totalBalance}}; USD on siliconflow.com, else CNY
//   moonshot    GET {base}/users/me/balance → {data: {available_balance}}; USD on moonshot.ai, else CNY
import { parseJsonObject } from "./token-rules";

export const BALANCE_SOURCES = ["auto", "none", "oneapi", "openrouter", "deepseek", "siliconflow", "moonshot"] as const;
export type BalanceSource = (typeof BALANCE_SOURCES)[number];
export type BalanceApi = Exclude<BalanceSource, "auto" | "none">;

/** Hosts whose balance API is known: `auto` picks it (openai-type channels only). */
const BY_HOST: [RegExp, BalanceApi][] = [
  [/(^|\.)deepseek\.com$/, "deepseek"],
  [/(^|\.)openrouter\.ai$/, "openrouter"],
  [/(^|\.)siliconflow\.(cn|com)$/, "siliconflow"],
  [/(^|\.)moonshot\.(cn|ai)$/, "moonshot"],
];

const hostOf = (url: string) => {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return "";
  }
};

/** The API a channel's balance is read with, or null when it has none. */
export function balanceApi(source: string, type: string, baseUrl: string): BalanceApi | null {
  if (source === "none") return null;
  if (source !== "auto") return (BALANCE_SOURCES as readonly string[]).includes(source) ? (source as BalanceApi) : null;
  if (type !== "openai") return null;
  const host = hostOf(baseUrl);
  return BY_HOST.find(([re]) => re.test(host))?.[1] ?? null;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The GETs that read the balance, in order (oneapi needs two). `nowMs` dates the usage window. */
export function balanceUrls(api: BalanceApi, baseUrl: string, nowMs: number): string[] {
  const base = baseUrl.replace(/\/+$/, "");
  switch (api) {
    case "oneapi":
      return [
        `${base}/dashboard/billing/subscription`,
        // one-api and new-api ignore the dates; OpenAI's own API wanted them (at most 100 days)
        `${base}/dashboard/billing/usage?start_date=${day(nowMs - 99 * 86_400_000)}&end_date=${day(nowMs + 86_400_000)}`,
      ];
    case "openrouter":
      return [`${base}/credits`];
    case "deepseek":
      return [`${new URL(base).origin}/user/balance`];
    case "siliconflow":
      return [`${base}/user/info`];
    case "moonshot":
      return [`${base}/users/me/balance`];
  }
}

export type BalanceReading = { micros: number; currency: string };

/** A number, or a decimal string, → millionths (an upstream's figure; null when it is neither). */
export function toMicros(v: unknown): number | null {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) && Math.abs(n) < 1e12 ? Math.round(n * 1_000_000) : null;
}

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** The reading in the replies' bodies (parsed JSON, in balanceUrls' order), or what is missing. */
export function parseBalance(api: BalanceApi, bodies: unknown[], baseUrl: string): BalanceReading | { error: string } {
  const host = hostOf(baseUrl);
  const missing = (what: string) => ({ error: `the reply has no ${what}` });
  const reading = (micros: number | null, currency: string, what: string) =>
    micros === null ? missing(what) : { micros, currency };
  const [a, b] = bodies.map(obj);
  switch (api) {
    case "oneapi": {
      const limit = toMicros(a.hard_limit_usd);
      const used = toMicros(b?.total_usage);
      if (limit === null) return missing("hard_limit_usd");
      if (used === null) return missing("total_usage");
      return { micros: limit - Math.round(used / 100), currency: "USD" };
    }
    case "openrouter": {
      const d = obj(a.data);
      const total = toMicros(d.total_credits);
      const used = toMicros(d.total_usage);
      return total === null || used === null
        ? missing("data.total_credits and data.total_usage")
        : { micros: total - used, currency: "USD" };
    }
    case "deepseek": {
      const infos = Array.isArray(a.balance_infos) ? a.balance_infos.map(obj) : [];
      const info = infos.find((i) => i.currency === "USD") ?? infos[0];
      if (!info) return missing("balance_infos");
      return reading(toMicros(info.total_balance), String(info.currency ?? "CNY"), "balance_infos[].total_balance");
    }
    case "siliconflow":
      return reading(
        toMicros(obj(a.data).totalBalance),
        host.endsWith("siliconflow.com") ? "USD" : "CNY",
        "data.totalBalance",
      );
    case "moonshot":
      return reading(
        toMicros(obj(a.data).available_balance),
        host.endsWith("moonshot.ai") ? "USD" : "CNY",
        "data.available_balance",
      );
  }
}

/** The threshold rule: a channel with a threshold (> 0) is out of rotation while its balance is below it. */
export const balanceLow = (micros: number, thresholdMicros: number) => thresholdMicros > 0 && micros < thresholdMicros;

/** The channels.balance column: the last reading (at: unix s), the last failure to read it, and whether
 * the threshold rule holds the channel out of rotation (kept through a failed read). */
export type SavedBalance = {
  micros?: number;
  currency?: string;
  at?: number;
  error?: string;
  error_at?: number;
  low?: boolean;
};

export const parseSavedBalance = (text: string): SavedBalance => parseJsonObject<SavedBalance>(text);
