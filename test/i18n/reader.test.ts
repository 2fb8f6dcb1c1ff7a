// The translator's money and dates: the reader's currency (an untouched input round-trips), their
// locale's date order and their time zone.
import { expect, test } from "bun:test";
import { currency } from "../../src/core/display-money";
import { translator } from "../../src/i18n";

const AT = Date.UTC(2026, 11, 7, 14, 3, 5); // 2026-12-07 14:03:05 UTC

test("dates in the reader's locale and time zone", () => {
  const zh = translator("zh-CN", { currency: currency("USD", 1), tz: "Asia/Shanghai" });
  expect(zh.dateTime(AT)).toBe("2026/12/07 22:03:05");
  expect(zh.date(AT)).toBe("2026/12/07");
  expect(zh.time(AT)).toBe("22:03");
  const en = translator("en", { currency: currency("USD", 1), tz: "America/New_York" });
  expect(en.dateTime(AT)).toBe("12/07/2026, 09:03:05");
  expect(translator("en").tz).toBe("UTC");
});

test("money in the reader's currency, grouped; a shown value reads back to the same units", () => {
  const zh = translator("zh-CN", { currency: currency("CNY", 7.3), tz: "UTC" });
  expect(zh.money(5_000_000)).toBe("¥73.00");
  expect(zh.money(617_283_500_000)).toBe("¥9,012,339.10");
  expect(zh.usdMicros(2_500_000)).toBe("¥18.25");
  expect(zh.moneyValue(5_000_000)).toBe("73");
  expect(zh.parseMoney(zh.moneyValue(5_000_000))).toBe(5_000_000);
  expect(translator("en").money(1_250_000, true)).toBe("+$2.50");
  expect(translator("en").moneyValue(1_250_000)).toBe("2.5");
});
