// Token rules that need no database: derived status, list normalisation, fallback-group checks.
import type { TokenRow } from "../db/schema";
import { type ErrorText, keyed } from "../errors";
import { parseCidr } from "./ip";
import { TOKEN_STATUS } from "./status";

export const BILLING_MODES = ["usage", "per_call", "usage_first", "per_call_first"] as const;
export type BillingMode = (typeof BILLING_MODES)[number];
export const MAX_TOKENS_PER_USER = 1000;
export const MAX_FALLBACK_GROUPS = 2;

type StatusInput = Pick<TokenRow, "status" | "expiredTime" | "unlimitedQuota" | "remainQuota">;

/** 1 enabled, 2 disabled (set by people); 3 expired and 4 exhausted are derived, in that order. */
export function effectiveStatus(t: StatusInput, nowSec: number): number {
  if (t.status !== TOKEN_STATUS.enabled) return t.status;
  if (t.expiredTime !== -1 && t.expiredTime <= nowSec) return TOKEN_STATUS.expired;
  if (!t.unlimitedQuota && t.remainQuota <= 0) return TOKEN_STATUS.exhausted;
  return TOKEN_STATUS.enabled;
}

/** Arrays or comma/newline strings → trimmed, non-empty, de-duplicated, in first-seen order. */
export function normalizeList(value: string | string[] | null | undefined): string[] {
  const items = Array.isArray(value) ? value : (value ?? "").split(/[,\n]/);
  return [...new Set(items.map((s) => String(s).trim()).filter(Boolean))];
}

/** The first problem with a default group + fallback list, or null. `exists` says if a group exists. */
export function fallbackProblem(group: string, fallback: string[], exists: (g: string) => boolean): ErrorText | null {
  if (fallback.length > MAX_FALLBACK_GROUPS) return keyed("error.fallback.tooMany", { max: MAX_FALLBACK_GROUPS });
  if (fallback.includes(group)) return keyed("error.fallback.isDefault", { group });
  if (new Set(fallback).size !== fallback.length) return keyed("error.fallback.repeated");
  const missing = fallback.find((g) => !exists(g));
  return missing ? keyed("error.group.missing", { group: missing }) : null;
}

/** The first entry of an IP allowlist that is neither an IP nor a CIDR, or null. */
export const badIpEntry = (list: string[]) => list.find((e) => parseCidr(e) === null) ?? null;

export const parseJsonList = (json: string): string[] => {
  const v = JSON.parse(json);
  return Array.isArray(v) ? v.map(String) : [];
};

/** A JSON object column (health, balance): its fields, or none when it is not an object or not JSON. */
export function parseJsonObject<T extends object>(json: string): Partial<T> {
  try {
    const v = JSON.parse(json);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Partial<T>) : {};
  } catch {
    return {};
  }
}
