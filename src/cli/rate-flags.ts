// The rate-limit flags shared by CLI commands (`token create`): whole numbers, 0 = not set.
import { CliError, type Flags } from "./args";

const FLAGS = {
  "rpm-limit": "rpm_limit",
  "tpm-limit": "tpm_limit",
  "rpd-limit": "rpd_limit",
  "max-parallel": "max_parallel_requests",
} as const;

export const RATE_OPTIONS = Object.fromEntries(Object.keys(FLAGS).map((f) => [f, { type: "string" as const }]));

/** Service field → flag, so that a refused limit is reported by the flag typed. */
export const RATE_FLAG_NAMES: Record<string, string> = Object.fromEntries(
  Object.entries(FLAGS).map(([flag, field]) => [field, `--${flag}`]),
);

export const RATE_HELP = [
  "  --rpm-limit N     requests per minute (0 or left out: the group's default, if any)",
  "  --tpm-limit N     tokens (prompt + completion) per minute",
  "  --rpd-limit N     requests per day (a sliding 24 h)",
  "  --max-parallel N  calls in flight at once (one more is refused at once with 429)",
];

/** The limits given, as the API names them; a value that is not a whole number is refused here. */
export function rateFlags(flags: Flags): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [flag, field] of Object.entries(FLAGS)) {
    const v = flags[flag];
    if (v === undefined) continue;
    if (!/^\d+$/.test(String(v))) throw new CliError(`--${flag}: "${v}" is not a whole number (0 = not set)`);
    out[field] = Number(v);
  }
  return out;
}
