// The console's rate-limit inputs (views/console/rate-limits.tsx) to the services' fields and back:
// empty = 0 = not set; anything but a whole number is refused, naming the field (in the reader's
// language when the page passes its translator).
import type { RateLimitForm } from "../../views/console/rate-limits";
import { invalidField, keyed } from "../errors";
import type { Form } from "./route";
import { first } from "./route";

const NAMES = ["rpm_limit", "tpm_limit", "rpd_limit", "max_parallel_requests"] as const;
type Limits = Record<(typeof NAMES)[number], number>;

/** What the form posted, as the services take it. */
export function readRateLimits(f: Form): Limits {
  const out = {} as Limits;
  for (const name of NAMES) {
    const v = first(f[name]).trim();
    if (v !== "" && !/^\d+$/.test(v)) throw invalidField(name, keyed("error.limit.whole"));
    out[name] = v === "" ? 0 : Number(v);
  }
  return out;
}

/** The inputs as the person typed them, to show again with an error. */
export const echoRateLimits = (f: Form): RateLimitForm =>
  Object.fromEntries(NAMES.map((n) => [n, first(f[n])])) as RateLimitForm;
