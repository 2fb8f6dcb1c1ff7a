// `apiyi token create`: makes a key for a user and prints it (and nothing else) on stdout.
import { usdToUnits } from "../core/money";
import { createToken } from "../services/tokens";
import { CliError, type Command, type Flags, requireFlag } from "./args";
import { DATA_HELP, DATA_OPTIONS, OPERATOR, withData } from "./open";
import { RATE_FLAG_NAMES, RATE_HELP, RATE_OPTIONS, rateFlags } from "./rate-flags";

/** Service field → the flag a CLI user typed, so error messages name the flag. */
const TOKEN_FLAG_NAMES: Record<string, string> = {
  name: "--name",
  remain_quota: "--quota-usd",
  group: "--group",
  fallback_groups: "--fallback",
  models: "--models",
  expired_time: "--expires",
  ...RATE_FLAG_NAMES,
  budget_period: "--budget-period",
  period_quota: "--quota-usd",
};

/** "2027-01-01" (UTC midnight), an ISO date-time, or "never". */
export function parseExpiry(value: string | undefined): number {
  if (value === undefined || value === "never") return -1;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  // Date.parse rolls 2030-02-30 over into March: the date it read back must be the date written
  const real = !Number.isNaN(ms) && (!dateOnly || new Date(ms).toISOString().startsWith(value));
  if (!real) throw new CliError(`--expires: "${value}" is not a date (use 2027-01-01, an ISO time, or never)`);
  return Math.floor(ms / 1000);
}

function quotaFlags(flags: Flags) {
  const usd = flags["quota-usd"];
  if (usd !== undefined && flags.unlimited) throw new CliError("give either --quota-usd or --unlimited, not both");
  if (usd === undefined) return { unlimited_quota: true, remain_quota: 0 };
  let units: number;
  try {
    units = usdToUnits(String(usd));
  } catch (e) {
    throw new CliError(`--quota-usd: ${(e as Error).message}`);
  }
  // a limited token at 0 could never make a call (the smallest quota is 1 unit, $0.000002)
  if (units === 0)
    throw new CliError(
      "--quota-usd: must be at least 0.000002 (a token with a quota of 0 can never call); leave it out for an unlimited token, bounded by the user's balance",
    );
  return { unlimited_quota: false, remain_quota: units };
}

export const tokenCreate: Command = {
  name: "token create",
  flagNames: TOKEN_FLAG_NAMES,
  summary:
    "Create a token (sk- key) for a user and print the key. Without --quota-usd it is unlimited (bounded by the user's balance).",
  usage:
    "--user U --name N [--quota-usd X [--budget-period P] | --unlimited] [--group G] [--fallback G2,G3] [--models a,b] [--expires 2027-01-01] [--rpm-limit N] [--tpm-limit N] [--rpd-limit N] [--max-parallel N] [--data-dir DIR]",
  options: {
    user: { type: "string" },
    name: { type: "string" },
    "quota-usd": { type: "string" },
    unlimited: { type: "boolean" },
    group: { type: "string" },
    fallback: { type: "string" },
    models: { type: "string" },
    expires: { type: "string" },
    ...RATE_OPTIONS,
    "budget-period": { type: "string" },
    ...DATA_OPTIONS,
  },
  help: [
    "  --user U          owner's username",
    "  --name N          token name, 1–50 characters, unique per user",
    "  --quota-usd X     quota in USD (X × 500,000 units)",
    "  --unlimited       no token quota (the default)",
    "  --budget-period P daily, weekly or monthly: the quota comes back each period (budget_timezone setting)",
    "  --group G         default group (default: default)",
    "  --fallback G2,G3  up to two fallback groups, in order",
    "  --models a,b      model whitelist (default: every model)",
    "  --expires DATE    2027-01-01 (UTC), an ISO time, or never (default)",
    ...RATE_HELP,
    DATA_HELP,
  ],
  async run(flags) {
    const username = requireFlag(flags, "user");
    const input = {
      name: requireFlag(flags, "name"),
      ...quotaFlags(flags),
      ...rateFlags(flags),
      group: flags.group,
      fallback_groups: flags.fallback ?? [],
      models: flags.models ?? [],
      expired_time: parseExpiry(flags.expires as string | undefined),
      budget_period: flags["budget-period"],
    };
    await withData(flags, async (ctx) => {
      const owner = await ctx.store.users.byUsername(username);
      if (!owner) throw new CliError(`--user: no user named "${username}"`);
      console.log((await createToken(ctx, OPERATOR, input, owner.id)).key);
    });
  },
};
