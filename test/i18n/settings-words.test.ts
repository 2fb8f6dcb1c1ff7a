// Every runtime setting has its label and help in every catalog, so a setting added to the registry
// (services/settings.ts) cannot reach /admin/settings untranslated; the English help is the
// registry's own (the words the API and CLI give). The page finds them, and falls back to the
// registry's English for a key the catalog lacks.
import { describe, expect, test } from "bun:test";
import { optionLabels, settingHelp, settingLabel, settingNote } from "../../src/console/setting-words";
import { currency } from "../../src/core/display-money";
import { EN, LANGUAGE_CODES, LANGUAGES, translator } from "../../src/i18n";
import { en } from "../../src/i18n/en";
import { SETTINGS } from "../../src/services/settings";

const KEYS = Object.keys(SETTINGS);

describe.each(LANGUAGE_CODES)("the %s catalog", (code) => {
  const catalog: Record<string, string> = LANGUAGES[code].catalog;
  test("has a label and a help for every setting", () => {
    const missing = KEYS.flatMap((k) => [`settings.label.${k}`, `settings.help.${k}`]).filter(
      (key) => !catalog[key]?.trim(),
    );
    expect(missing).toEqual([]);
  });
});

test("the English help of each setting is the registry's", () => {
  for (const [key, def] of Object.entries(SETTINGS))
    expect(en[`settings.help.${key}` as keyof typeof en]).toBe(def.help);
});

test("the page shows the reader's language, and the registry's English where the catalog has nothing", () => {
  const zh = translator("zh-CN");
  expect(settingHelp(zh, "usd_to_cny", SETTINGS.usd_to_cny.help)).toContain("人民币");
  expect(settingLabel(zh, "display_currency")).toBe("显示货币");
  expect(settingHelp(EN, "register_enabled", SETTINGS.register_enabled.help)).toBe(SETTINGS.register_enabled.help);
  expect(settingHelp(zh, "not_a_setting_yet", "the registry's words")).toBe("the registry's words");
  expect(settingLabel(zh, "not_a_setting_yet")).toBe("Not a setting yet");
});

test("choices are named (currencies, languages); values hard to read say what they mean", () => {
  expect(optionLabels(EN, "display_currency", ["USD", "CNY"])).toEqual({ USD: "USD ($)", CNY: "CNY (¥)" });
  expect(optionLabels(EN, "default_language", ["en", "zh-CN"])).toEqual({
    en: "English (en)",
    "zh-CN": "简体中文 (zh-CN)",
  });
  expect(optionLabels(EN, "alert_admin_type", ["webhook", "bark"])).toBeUndefined();
  expect(settingNote(EN, "new_user_quota", 250_000)).toBe("That is $0.50.");
  const inYuan = translator("zh-CN", { currency: currency("CNY", 7.3), tz: "UTC" });
  expect(settingNote(inYuan, "new_user_quota", 5_000_000)).toBe("即 ¥73.00。");
  expect(settingNote(EN, "usd_to_cny", 7.3)).toBe("At this rate, $10 of quota is ¥73.00.");
  expect(settingNote(EN, "usd_to_cny", 1)).toBe("At this rate, $10 of quota is ¥10.00.");
  expect(settingNote(EN, "max_attempts", 4)).toBeUndefined();
});
