// A zod transform for a URL given as a setting (the public URL, the PostgreSQL address): parsed once,
// its one problem (if any) reported in the words of the setting, else the value to keep.
import { z } from "zod";

export const checkedUrl =
  (unparseable: string, problem: (url: URL, raw: string) => string | null, keep: (url: URL, raw: string) => string) =>
  (raw: string, c: z.RefinementCtx): string => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      c.addIssue({ code: "custom", message: unparseable });
      return z.NEVER;
    }
    const wrong = problem(url, raw);
    if (wrong === null) return keep(url, raw);
    c.addIssue({ code: "custom", message: wrong });
    return z.NEVER;
  };
