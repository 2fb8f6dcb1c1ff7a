// Message templates with named parameters: "Page {page} of {pages}" filled from { page, pages }.
// A sentence is one template per language (word order is the translator's), never pieces joined.
// A parameter the values lack stays as written ("{name}"), so a mistake shows instead of vanishing.

const PARAM = /\{(\w+)\}/g;

/** Fills each {name} with its value; numbers go through `formatNumber` (grouping in the locale). */
export function fillTemplate(
  template: string,
  values: Record<string, string | number>,
  formatNumber: (n: number) => string = String,
): string {
  return template.replace(PARAM, (whole, name: string) => {
    if (!Object.hasOwn(values, name)) return whole;
    const v = values[name];
    return typeof v === "number" ? formatNumber(v) : String(v);
  });
}

/** The parameter names a template uses, sorted and each once: "{a} {b} {a}" → ["a", "b"]. */
export const templateParams = (template: string): string[] =>
  [...new Set([...template.matchAll(PARAM)].map((m) => m[1]!))].sort();

/** A template as pieces: text, then a parameter's name, then text… (even indexes text, odd names):
 * for a sentence with markup inside, where each piece is rendered on its own. */
export const templatePieces = (template: string): string[] => template.split(/\{(\w+)\}/);
