// The words /admin/settings shows for a setting, in the reader's language: its label and help from
// the catalog ("settings.label.<key>", "settings.help.<key>"; the registry's English help, and a label
// made from the key, where the catalog has none), the names of its choices, and what a stored value
// means where that helps (quota units as money, the yuan rate as an example amount).
import { currency } from "../core/display-money";
import { UNITS_PER_USD } from "../core/money";
import { LANGUAGES, isLang, translator, type MessageKey, type Translator } from "../i18n";
import { en } from "../i18n/en";

const inCatalog = (key: string): key is MessageKey => Object.hasOwn(en, key);
/** The catalog's text for `key` as it is (no parameters to fill), or `otherwise`. */
const catalogText = (t: Translator, key: string, otherwise: string) => (inCatalog(key) ? t.template(key) : otherwise);

export const settingLabel = (t: Translator, key: string) =>
  catalogText(t, `settings.label.${key}`, key.charAt(0).toUpperCase() + key.slice(1).replaceAll("_", " "));

/** `english`: the registry's help, what the API and CLI say. */
export const settingHelp = (t: Translator, key: string, english: string) =>
  catalogText(t, `settings.help.${key}`, english);

/** The names of a choice's options (a language by its own name), or undefined when all are codes. */
export function optionLabels(t: Translator, key: string, options: string[]): Record<string, string> | undefined {
  const named = options.flatMap((o): [string, string][] => {
    if (key === "default_language" && isLang(o)) return [[o, `${LANGUAGES[o].name} (${o})`]];
    const k = `settings.option.${key}.${o}`;
    return inCatalog(k) ? [[o, t.template(k)]] : [];
  });
  return named.length ? Object.fromEntries(named) : undefined;
}

/** What the stored value means, for the settings whose value is hard to read on its own. */
export function settingNote(t: Translator, key: string, value: unknown): string | undefined {
  if (key === "new_user_quota" && typeof value === "number")
    return t.t("settings.note.new_user_quota", { amount: t.money(value) });
  if (key === "usd_to_cny" && typeof value === "number") {
    const inYuan = translator(t.lang, { currency: currency("CNY", value), tz: t.tz });
    return t.t("settings.note.usd_to_cny", { amount: inYuan.money(10 * UNITS_PER_USD) });
  }
  return undefined;
}
