// `apiyi redemption create`: makes a batch of redemption codes and prints them as CSV on stdout (and
// nothing else), the only time the full codes exist: `apiyi redemption create --count 100 --usd 10
// --expires 30d > codes.csv`.
import { codesCsv } from "../core/redemption-codes";
import { usdToUnits } from "../core/money";
import { createRedemptions } from "../services/redemptions";
import { CliError, type Command, type Flags, requireFlag } from "./args";
import { DATA_HELP, DATA_OPTIONS, OPERATOR, withData } from "./open";
import { parseExpiry } from "./token";

const FLAG_NAMES: Record<string, string> = {
  name: "--name",
  count: "--count",
  quota: "--usd",
  expired_time: "--expires",
};

/** "30d", "12h", a date or ISO time, or "never" → unix seconds, 0 = never. */
export function parseRedemptionExpiry(value: string | undefined, nowSec: number): number {
  const m = value === undefined ? null : /^(\d{1,5})([dh])$/.exec(value);
  if (m) return nowSec + Number(m[1]) * (m[2] === "d" ? 86_400 : 3600);
  const at = parseExpiry(value);
  return at === -1 ? 0 : at;
}

function usdFlag(flags: Flags) {
  const usd = requireFlag(flags, "usd");
  try {
    return usdToUnits(usd);
  } catch (e) {
    throw new CliError(`--usd: ${(e as Error).message}`);
  }
}

export const redemptionCreate: Command = {
  name: "redemption create",
  flagNames: FLAG_NAMES,
  summary: "Make redemption codes worth --usd each and print them as CSV (code,quota,usd,expires), shown only now.",
  usage: "--usd X [--count N] [--expires 30d] [--name N] [--data-dir DIR]",
  options: {
    usd: { type: "string" },
    count: { type: "string" },
    expires: { type: "string" },
    name: { type: "string" },
    ...DATA_OPTIONS,
  },
  help: [
    "  --usd X          what each code credits, in USD (X × 500,000 quota units)",
    "  --count N        how many codes, 1–100 (default 1)",
    "  --expires WHEN   30d, 12h, 2027-01-01 (UTC), an ISO time, or never (default)",
    "  --name N         the batch's name, 1–20 characters (default: cli)",
    DATA_HELP,
  ],
  async run(flags) {
    const count = flags.count === undefined ? 1 : Number(flags.count);
    if (!Number.isInteger(count)) throw new CliError(`--count: "${flags.count}" is not a whole number`);
    const input = {
      name: flags.name ?? "cli",
      count,
      quota: usdFlag(flags),
      expired_time: parseRedemptionExpiry(flags.expires as string | undefined, Math.floor(Date.now() / 1000)),
    };
    await withData(flags, async (ctx) => {
      const batch = await createRedemptions(ctx, OPERATOR, input);
      process.stdout.write(codesCsv(batch.codes, batch.quota, batch.expired_time));
    });
  },
};
