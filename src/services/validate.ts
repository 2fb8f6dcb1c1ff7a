// Runs a zod schema over input from any face (API body, CLI flags) and turns the first problem into
// a 422 AppError whose message names the field.
import type { z } from "zod";
import { invalidField } from "../errors";

export function validate<S extends z.ZodType>(schema: S, input: unknown, field?: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = [field, ...issue.path].filter((p) => p !== undefined).join(".");
  throw invalidField(path || "body", issue.message);
}
