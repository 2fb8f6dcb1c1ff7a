// Refusals in the reader's language. errorText renders an AppError with the reader's catalog when it
// was thrown with keyed words (errors.ts `keyed`), else as it was said (English). `recognised` gives
// keys to words said in English elsewhere: the catalog's "error.v." templates are exactly what the
// zod schemas and the money parser say (services/*schema*.ts, core/money.ts), so such a message is
// known by its template and its values are read back from it; anything else stays as it was.
import { templatePieces } from "../core/message-template";
import { type AppError, type ErrorText, renderText, type Says, type TextValue } from "../errors";
import type { MessageKey } from "./catalog";
import { en } from "./en";
import type { Translator } from ".";

/** Words in the reader's language; English is the words as the API says them. */
export const textIn = (says: TextValue, t: Translator): string =>
  t.lang === "en" ? renderText(says) : renderText(says, t.template);

/** An error as the reader should see it. */
export const errorText = (err: AppError, t: Translator): string => (err.text ? textIn(err.text, t) : err.message);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Each "error.v." template as a pattern, the most specific first (the most fixed characters): "at
 * most 100 characters" is "at most {max} characters", not "at most {max}". */
const PATTERNS = (Object.keys(en) as MessageKey[])
  .filter((key) => key.startsWith("error.v."))
  .map((key) => {
    const pieces = templatePieces(en[key]);
    const source = pieces.map((p, i) => (i % 2 ? "(.*?)" : escapeRegExp(p))).join("");
    const fixed = pieces.filter((_, i) => i % 2 === 0).join("").length;
    return { key, names: pieces.filter((_, i) => i % 2), re: new RegExp(`^${source}$`, "s"), fixed };
  })
  .sort((a, b) => b.fixed - a.fixed);

/** An English message said by a schema or a parser, as keyed words when the catalog knows it; a
 * {why} inside is itself such a message (a refused address's reason inside "is refused: {why}"). */
export function recognised(message: string): Says {
  for (const p of PATTERNS) {
    const m = p.re.exec(message);
    if (!m) continue;
    const value = (name: string, i: number) => (name === "why" ? recognised(m[i + 1]!) : m[i + 1]!);
    return { key: p.key, params: Object.fromEntries(p.names.map((name, i) => [name, value(name, i)])) } as ErrorText;
  }
  return message;
}
