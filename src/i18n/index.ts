// The console's languages: English (en/, the reference, in TypeScript so templates' parameters are
// typed) and each other language as one JSON file checked against it (a third language is one more
// file and one more line in LANGUAGES), and the translator a page renders with: t(key, params) fills the
// template in the reader's language, numbers grouped in its locale (Intl), money in the reader's
// currency, dates in their locale and time zone.
import { amountText, type Currency, formatMoney, parseAmount, unitsToUsdMicros, USD } from "../core/display-money";
import { fillTemplate } from "../core/message-template";
import { type DateFormats, dateFormats } from "./dates";
import type { Catalog, MessageKey, ParamArgs } from "./catalog";
import { en } from "./en";
import zhCNMessages from "./zh-CN.json";

export type { MessageKey, PlainKey } from "./catalog";

/** code → its catalog and its own name (the switch shows each language in itself). */
/** A key English has and the file lacks is a type error here. */
const zhCN: Catalog = zhCNMessages;

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
  /** the reader's currency (display_currency, or their own choice) */
  currency: Currency;
  /** quota units in the reader's currency: 1,250,000 → "$2.50" or "¥18.25"; `signed` adds "+" */
  money(units: number, signed?: boolean): string;
  /** a USD amount in millionths (a price) in the reader's currency */
  usdMicros(micros: number, signed?: boolean): string;
  /** an amount typed in the reader's currency → whole quota units, rounded down (RangeError if not one) */
  parseMoney(text: string): number;
  /** quota units as an input's value in the reader's currency: 5,000,000 → "10" (or "73") */
  moneyValue(units: number): string;
  /** the reader's IANA time zone */
  tz: string;
} & DateFormats;

/** How a reader sees money and time (requestTranslator reads them from the user, cookies, settings). */
export type ReaderPrefs = { currency: Currency; tz: string };

type Words = Pick<Translator, "lang" | "t" | "template" | "num">;
const words = new Map<Lang, Words>();

function wordsOf(lang: Lang): Words {
  const hit = words.get(lang);
  if (hit) return hit;
  const catalog = LANGUAGES[lang].catalog;
  const numbers = new Intl.NumberFormat(lang, { useGrouping: true, maximumFractionDigits: 20 });
  const num = (n: number | bigint) => numbers.format(n);
  const made: Words = {
    lang,
    num,
    template: (key) => catalog[key],
    t: ((key: MessageKey, values?: Record<string, string | number>) =>
      fillTemplate(catalog[key], values ?? {}, num)) as Translator["t"],
  };
  words.set(lang, made);
  return made;
}

const DEFAULT_PREFS: ReaderPrefs = { currency: USD, tz: "UTC" };

/** The translator for `lang`; money and time as `prefs` say (US dollars and UTC when not given). */
export function translator(lang: Lang, prefs: ReaderPrefs = DEFAULT_PREFS): Translator {
  const w = wordsOf(lang);
  const { currency, tz } = prefs;
  const group = (n: bigint) => w.num(n);
  const usdMicros = (micros: number, signed = false) => formatMoney(micros, currency, { signed, group });
  return {
    ...w,
    currency,
    tz,
    usdMicros,
    money: (units, signed) => usdMicros(unitsToUsdMicros(units), signed),
    parseMoney: (text) => parseAmount(text, currency),
    moneyValue: (units) => amountText(unitsToUsdMicros(units), currency).replace(/0+$/, "").replace(/\.$/, ""),
    ...dateFormats(lang, tz),
  };
}

/** English: what views render with when their caller passes no translator (pages not translated yet). */
export const EN = translator("en");
