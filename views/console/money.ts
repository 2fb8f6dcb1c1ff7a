// The one way the console shows money: quota units (500,000 = $1) in the reader's currency (their
// translator's: US dollars, or yuan at the operator's usd_to_cny rate) with at least two decimals and
// as many more as the amount has (a call that cost $0.00002 never reads $0.00). Every page uses it.
import { EN, type Translator } from "../../src/i18n";

/** 1,250,000 → "$2.50" (or "¥18.25" for a reader in yuan at 7.3), 10 → "$0.00002", -250 → "-$0.0005";
 * `signed` adds "+" to positive amounts. Without a translator: US dollars, English grouping. */
export const usd = (units: number, signed = false, t: Translator = EN) => t.money(units, signed);

/** A balance, or "unlimited" for an account or token that calls do not draw down. */
export const balance = (units: number, unlimited: boolean, t: Translator = EN) =>
  unlimited ? t.t("common.unlimited") : t.money(units);
