// Which language a console page is in, first match wins: the signed-in user's own setting, the
// language cookie (visitors, and users who have not chosen), the browser's Accept-Language, then the
// server's default_language. Pure: the caller reads the user, the cookie, the header and the setting.

export type LanguageInputs = {
  /** the account's setting; "" or null = not chosen */
  user?: string | null;
  cookie?: string | null;
  acceptLanguage?: string | null;
  /** the default_language setting (already validated) */
  fallback: string;
};

/** A tag as one of `supported`: an exact (case-insensitive) match; Chinese in simplified script (zh,
 * zh-CN, zh-Hans, zh-SG…) as zh-CN; else the primary subtag ("en-GB" → "en"). Traditional Chinese
 * (zh-TW, zh-HK, zh-Hant) has no catalog yet: null. */
export function matchLanguage(tag: string, supported: readonly string[]): string | null {
  const lower = tag.trim().toLowerCase();
  if (!lower || lower === "*") return null;
  const exact = supported.find((s) => s.toLowerCase() === lower);
  if (exact) return exact;
  const [primary, ...rest] = lower.split(/[-_]/);
  if (primary === "zh") {
    const traditional = rest.some((p) => p === "hant" || p === "tw" || p === "hk" || p === "mo");
    return traditional ? null : (supported.find((s) => s === "zh-CN") ?? null);
  }
  return supported.find((s) => s.toLowerCase() === primary) ?? null;
}

/** The supported language the header prefers most (q-values honoured, q=0 refused), or null. */
export function fromAcceptLanguage(header: string, supported: readonly string[]): string | null {
  const ranked = header
    .split(",")
    .map((part, i) => {
      const [tag = "", ...params] = part.split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag, weight: Number.isFinite(weight) ? weight : 0, i };
    })
    .filter((r) => r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.i - b.i);
  for (const r of ranked) {
    const lang = matchLanguage(r.tag, supported);
    if (lang) return lang;
  }
  return null;
}

export function resolveLanguage(input: LanguageInputs, supported: readonly string[]): string {
  const chosen = (v: string | null | undefined) => (v ? (supported.find((s) => s === v) ?? null) : null);
  return (
    chosen(input.user) ??
    chosen(input.cookie) ??
    (input.acceptLanguage ? fromAcceptLanguage(input.acceptLanguage, supported) : null) ??
    chosen(input.fallback) ??
    supported[0]!
  );
}
