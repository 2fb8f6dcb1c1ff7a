// The shape every catalog has: the keys of the English one, each a template string; and the
// parameter names a template uses, read from its text, so `t("tokens.pager", { page, pages, total })`
// is checked by the compiler.
import type { en } from "./en";

export type MessageKey = keyof typeof en;
export type Catalog = { readonly [K in MessageKey]: string };

/** "Page {page} of {pages}" → "page" | "pages". */
type ParamNames<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | ParamNames<Rest> : never;
export type MessageParams<K extends MessageKey> = Record<ParamNames<(typeof en)[K]>, string | number>;
/** The keys of messages without parameters (what a list of labels names). */
export type PlainKey = { [K in MessageKey]: [ParamNames<(typeof en)[K]>] extends [never] ? K : never }[MessageKey];
/** The translator's arguments after the key: none for a plain message, the named values otherwise. */
export type ParamArgs<K extends MessageKey> = [ParamNames<(typeof en)[K]>] extends [never] ? [] : [MessageParams<K>];
