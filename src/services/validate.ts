// Runs a zod schema over input from any face (API body, CLI flags) and turns the first problem into
// a 422 AppError whose message names the field. The message stays as the schema (or zod) says it in
// English; the reader's language gets the schema's own words when the catalog knows them
// (i18n/errors.ts recognised), else a plain rendering of zod's issue code.
import type { z } from "zod";
import { type ErrorText, invalidField, keyed, type Says } from "../errors";
import { recognised } from "../i18n/errors";

export function validate<S extends z.ZodType>(schema: S, input: unknown, field?: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = [field, ...issue.path].filter((p) => p !== undefined).join(".");
  throw invalidField(path || "body", issueText(issue, input));
}

type Issue = z.core.$ZodIssue;

const valueAt = (input: unknown, path: PropertyKey[]) =>
  path.reduce<unknown>(
    (v, k) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined),
    input,
  );

const LENGTH_ORIGINS = new Set(["string", "array", "set", "file"]);

/** zod's own wording as keyed words (the English stays zod's, `en`); `input`: what was validated. */
function codeText(issue: Issue, input: unknown): ErrorText {
  switch (issue.code) {
    case "invalid_type":
      return valueAt(input, issue.path) === undefined
        ? keyed("error.zod.required")
        : keyed("error.zod.type", { expected: issue.expected });
    case "too_small": {
      const minimum = String(issue.minimum);
      if (issue.origin === "string") return keyed("error.zod.minLength", { minimum });
      if (LENGTH_ORIGINS.has(issue.origin)) return keyed("error.zod.minItems", { minimum });
      return issue.inclusive === false ? keyed("error.zod.gt", { minimum }) : keyed("error.zod.min", { minimum });
    }
    case "too_big": {
      const maximum = String(issue.maximum);
      if (issue.origin === "string") return keyed("error.zod.maxLength", { maximum });
      if (LENGTH_ORIGINS.has(issue.origin)) return keyed("error.zod.maxItems", { maximum });
      return issue.inclusive === false ? keyed("error.zod.lt", { maximum }) : keyed("error.zod.max", { maximum });
    }
    case "invalid_value":
      return keyed("error.zod.oneOf", { values: issue.values.map((v) => JSON.stringify(v)).join(", ") });
    case "invalid_format":
      return issue.format === "regex"
        ? keyed("error.zod.pattern")
        : keyed("error.zod.format", { format: issue.format });
    case "not_multiple_of":
      return keyed("error.zod.multipleOf", { divisor: String(issue.divisor) });
    case "unrecognized_keys":
      return keyed("error.zod.unknownKeys", { keys: issue.keys.join(", ") });
    default:
      return keyed("error.zod.invalid");
  }
}

/** A zod issue's words: the schema's own when the catalog knows them, else zod's issue code. */
export function issueText(issue: Issue, input: unknown): Says {
  const known = recognised(issue.message);
  return typeof known === "string" ? { ...codeText(issue, input), en: issue.message } : known;
}
