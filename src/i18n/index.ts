// The console's languages: each catalog file once in LANGUAGES (a third language is one more file
// and one more line here), and the translator a page renders with: t(key, params) fills the
// template in the reader's language, numbers grouped in its locale (Intl).
import { fillTemplate } from "../core/message-template";
import type { Catalog, MessageKey, ParamArgs } from "./catalog";
import { en } from "./en";
import { zhCN } from "./zh-CN";

export type { MessageKey, PlainKey } from "./catalog";

/** code → its catalog and its own name (the switch shows each language in itself). */
export const LANGUAGES = {
  en: { name: "English", catalog: en as Catalog },
  "zh-CN": { name: "简体中文", catalog: zhCN },
} as const satisfies Record<string, { name: string; catalog: Catalog }>;

export type Lang = keyof typeof LANGUAGES;
export const LANGUAGE_CODES = Object.keys(LANGUAGES) as Lang[];
export const isLang = (v: unknown): v is Lang => typeof v === "string" && Object.hasOwn(LANGUAGES, v);

export type Translator = {
  lang: Lang;
  t<K extends MessageKey>(key: K, ...params: ParamArgs<K>): string;
  /** the template itself, for a sentence with markup inside (views/console/kit.tsx's `rich`) */
  template(key: MessageKey): string;
  /** 1234567 → "1,234,567" (grouping as the locale writes it) */
  num(n: number | bigint): string;
};

const cache = new Map<Lang, Translator>();

export function translator(lang: Lang): Translator {
  const hit = cache.get(lang);
  if (hit) return hit;
  const catalog = LANGUAGES[lang].catalog;
  const numbers = new Intl.NumberFormat(lang, { useGrouping: true, maximumFractionDigits: 20 });
  const num = (n: number | bigint) => numbers.format(n);
  const made: Translator = {
    lang,
    num,
    template: (key) => catalog[key],
    t: ((key: MessageKey, values?: Record<string, string | number>) =>
      fillTemplate(catalog[key], values ?? {}, num)) as Translator["t"],
  };
  cache.set(lang, made);
  return made;
}

/** English: what views render with when their caller passes no translator (pages not translated yet). */
export const EN = translator("en");
