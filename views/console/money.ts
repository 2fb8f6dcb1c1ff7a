// The one way the console shows money: quota units (500,000 = $1, so 1 unit = $0.000002) as exact
// dollars with at least two decimals and as many more as the amount has (never rounded: a call that
// cost $0.00002 never reads $0.0000). Every page uses it: tokens, logs, admin logs, users, account,
// dashboard.
import { unitsToUsd } from "../../src/core/money";
import { EN, type Translator } from "../../src/i18n";

/** 1,250,000 → "$2.50", 10 → "$0.00002", -250 → "-$0.0005"; `signed` adds "+" to positive amounts.
 * With the reader's translator the dollars are grouped as their locale writes them ("$1,234.50"). */
export function usd(units: number, signed = false, t?: Translator): string {
  const [whole = "0", frac = ""] = unitsToUsd(Math.abs(units)).split(".");
  const sign = units < 0 ? "-" : signed && units > 0 ? "+" : "";
  return `${sign}$${t ? t.num(BigInt(whole)) : whole}.${frac.padEnd(2, "0")}`;
}

/** A balance, or "unlimited" for an account or token that calls do not draw down. */
export const balance = (units: number, unlimited: boolean, t?: Translator) =>
  unlimited ? (t ?? EN).t("common.unlimited") : usd(units, false, t);
