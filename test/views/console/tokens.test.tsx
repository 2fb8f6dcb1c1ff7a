/** @jsxImportSource @kitajs/html */
// The token table's Remaining cell: a budgeted token says its allowance and when it resets; others
// show the balance alone (no trailing text); in Chinese the same cell in Chinese word order, amounts
// grouped.
import { describe, expect, test } from "bun:test";
import { EN, translator } from "../../../src/i18n";
import type { TokenView } from "../../../views/console/models";
import { TokenRow } from "../../../views/console/tokens";

const token = (o: Partial<TokenView> = {}): TokenView => ({
  id: 1,
  name: "dev",
  key: "sk-ab…yz",
  status: 1,
  group: "default",
  fallback_groups: [],
  remain_quota: 1_000_000,
  unlimited_quota: false,
  used_quota: 0,
  expired_time: -1,
  billing_mode: "usage_first",
  models: [],
  created_time: 0,
  accessed_time: 0,
  budget_period: "",
  period_quota: 0,
  period_resets_in: null,
  period_resets_at: null,
  ...o,
});

const remaining = (html: string) => /<td class="remaining"[^>]*>([\s\S]*?)<\/td>/.exec(html)?.[1] ?? "";

describe("the Remaining cell", () => {
  test("a daily budget: 'of $5.00 daily · resets in 5 h'", () => {
    const html = TokenRow({
      t: token({ budget_period: "daily", period_quota: 2_500_000, period_resets_in: 5 * 3600 - 30 }),
      tr: EN,
    }) as string;
    expect(remaining(html)).toContain("of $5.00 daily · resets in 5 h");
  });

  test("in zh-CN: '每日额度 $5.00 · 5 小时后重置', and a large balance grouped", () => {
    const zh = translator("zh-CN");
    const budgeted = token({ budget_period: "daily", period_quota: 2_500_000, period_resets_in: 5 * 3600 - 30 });
    expect(remaining(TokenRow({ t: budgeted, tr: zh }) as string)).toContain("每日额度 $5.00 · 5 小时后重置");
    const rich = TokenRow({ t: token({ remain_quota: 617_283_950_000 }), tr: zh }) as string;
    expect(remaining(rich).replace(/<[^>]+>/g, "")).toBe("$1,234,567.90");
  });

  test("no budget: the balance alone", () => {
    expect(remaining(TokenRow({ t: token(), tr: EN }) as string).replace(/<[^>]+>/g, "")).toBe("$2.00");
  });
});
