// Runtime settings (admins change them while the server runs). Flags/env seed a value on first
// start; from then on the stored value wins.
import { z } from "zod";
import { publicUrlSchema, type Config } from "../config";
import { isTimeZone } from "../core/budget";
import { CURRENCY_CODES, type CurrencyCode } from "../core/display-money";
import { parseMicros } from "../core/money";
import { parseCidr, type Cidr } from "../core/ip";
import type { RelaySettings } from "../core/snapshot";
import { normalizeList } from "../core/token-rules";
import { ALERT_SETTINGS } from "./alert-settings";
import { invalidField, keyed } from "../errors";
import { type Lang, LANGUAGE_CODES } from "../i18n";
import type { Ctx } from "./context";
import { validate } from "./validate";

export const SETTINGS = {
  register_enabled: { schema: z.boolean(), fallback: false, help: "anyone may sign up at /api/user/register" },
  max_attempts: {
    schema: z.number().int().min(1).max(10),
    fallback: 4,
    help: "most upstream attempts one /v1 call may make across channels and groups",
  },
  new_user_quota: {
    schema: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    fallback: 0,
    help: "starting balance of a new user, in quota units (500,000 = $1)",
  },
  trusted_proxies: {
    schema: z
      .union([z.array(z.string()), z.string()])
      .transform((v) => normalizeList(v))
      .refine((list) => list.every((e) => parseCidr(e) !== null), "every entry must be an IP address or a CIDR"),
    fallback: [] as string[],
    help: "reverse proxies whose X-Forwarded-For is believed (IPs/CIDRs); from anyone else it is ignored",
  },
  breaker_failures: {
    schema: z.number().int().min(1).max(1000),
    fallback: 5,
    help: "failures within the window that open a channel's breaker",
  },
  breaker_window_seconds: {
    schema: z.number().int().min(1).max(86_400),
    fallback: 60,
    help: "the breaker's failure window, in seconds",
  },
  breaker_cooldown_seconds: {
    schema: z.number().int().min(1).max(86_400),
    fallback: 30,
    help: "how long an open breaker waits before one probe call (doubles on each failed probe, up to 20×)",
  },
  default_hold_cap_tokens: {
    schema: z.number().int().min(1).max(10_000_000),
    fallback: 8192,
    help: "hold cap of prices set without one: the output tokens a hold covers, and the output limit a call is sent with, when the call names no limit",
  },
  min_output_tokens: {
    schema: z.number().int().min(1).max(100_000),
    fallback: 16,
    help: "least output a call is admitted with when the balance cannot cover its whole output limit: such a call is sent with its output limit lowered to what the balance pays for, down to this many tokens (plus its thinking budget, for a call that asks the model to reason); below that it is refused with what it needs",
  },
  log_retention_days: {
    schema: z.number().int().min(0).max(36_500),
    fallback: 0,
    help: "delete call detail rows older than this many days (the daily rollups stay); 0 = keep them all",
  },
  body_read_timeout_seconds: {
    schema: z.number().int().min(1).max(3600),
    fallback: 30,
    help: "longest time a client may take to send a request body, on every route; a slower one gets 408 (upstream timeouts take over once the body is in)",
  },
  management_body_limit_kb: {
    schema: z.number().int().min(1).max(1_048_576),
    fallback: 1024,
    help: "largest request body on /api, the console and sign-in, in KiB (the /v1 limit is --max-body-mb); a larger one gets 413",
  },
  public_url: {
    schema: publicUrlSchema,
    fallback: "",
    help: 'the address clients reach this server at, e.g. https://api.example.com (request examples and share links use it; never the request\'s Host header); "" = not set',
  },
  channel_test_minutes: {
    schema: z.number().int().min(0).max(10_080),
    fallback: 10,
    help: "every this many minutes, test channels disabled automatically, with rejected keys or an open breaker (one minimal call each, logged as a system call); a pass brings them back. 0 = off: no background calls",
  },
  channel_test_timeout_seconds: {
    schema: z.number().int().min(1).max(600),
    fallback: 20,
    help: "the scheduled channel test's deadline for each call (connect, first byte and reply), in seconds; a channel's own shorter timeouts still apply. Up to 4 channels are tested at once, so a hanging upstream holds up its own channel only",
  },
  upstream_balance_minutes: {
    schema: z.number().int().min(0).max(10_080),
    fallback: 60,
    help: "every this many minutes, read the upstream balance of channels whose upstream has a balance API (and apply their thresholds). 0 = off: only on demand",
  },
  ...ALERT_SETTINGS,
  budget_timezone: {
    schema: z
      .string()
      .trim()
      .refine(isTimeZone, "must be an IANA time zone name, e.g. UTC, Europe/Berlin or Asia/Shanghai"),
    fallback: "UTC",
    help: "the operator's time zone: budget periods (daily budgets come back at midnight there, weekly ones on Monday, monthly ones on the 1st) and the days of the admin dashboard",
  },
  default_language: {
    schema: z.enum(LANGUAGE_CODES as [Lang, ...Lang[]]),
    fallback: "en",
    help: "the console's language for people who chose none and whose browser asks for none the console has (en, zh-CN)",
  },
  video_poll_per_channel: {
    schema: z.number().int().min(1).max(1000),
    fallback: 8,
    help: "most status polls of video jobs in flight at once to one channel",
  },
  video_poll_overall: {
    schema: z.number().int().min(1).max(10_000),
    fallback: 64,
    help: "most status polls of video jobs in flight at once in all",
  },
  video_timeout_hours: {
    schema: z
      .number()
      .int()
      .min(1)
      .max(24 * 30),
    fallback: 24,
    help: "a video job not finished this many hours after its submit expires: its hold goes back whole",
  },
  display_currency: {
    schema: z.enum(CURRENCY_CODES as [CurrencyCode, ...CurrencyCode[]]),
    fallback: "USD" as CurrencyCode,
    help: "the currency the console shows amounts in, and people type them in, unless they chose their own: USD or CNY (at usd_to_cny)",
  },
  usd_to_cny: {
    schema: z
      .number()
      .positive()
      .max(1000)
      .refine((n) => isRate(n), "a rate above 0 with at most 6 decimals, e.g. 7.3 (or 1 for ¥1 = $1 of quota)"),
    fallback: 7.3,
    help: "yuan per US dollar of quota, for amounts shown or typed in CNY: the rate you charge at, e.g. 7.3, or 1 for API易-style ¥1 = $1 of quota",
  },
} as const;

function isRate(n: number): boolean {
  try {
    return parseMicros(n) > 0;
  } catch {
    return false;
  }
}

export type SettingKey = keyof typeof SETTINGS;
export type Settings = { [K in SettingKey]: z.output<(typeof SETTINGS)[K]["schema"]> };

/** The settings as last loaded or written (a write by another process reaches them with the snapshot's reload). */
export const readSettings = (ctx: Pick<Ctx, "snapshot">): Settings => ctx.snapshot.settings;

/** Stored values where valid, defaults elsewhere. */
export function parseSettings(stored: Record<string, unknown>): Settings {
  const out: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(SETTINGS)) {
    const parsed = (def.schema as z.ZodType).safeParse(stored[key]);
    out[key] = parsed.success ? parsed.data : def.fallback;
  }
  return out as Settings;
}

export async function writeSettings(ctx: Ctx, input: unknown): Promise<Settings> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw invalidField("body", keyed("error.settings.notObject", { example: '{"register_enabled": true}' }));
  }
  // the raw body's own keys: a zod record would drop "__proto__" instead of refusing it
  const entries = Object.entries(input).map(([key, value]) => {
    // own keys only: "constructor" or "__proto__" must not find Object's properties
    const def = Object.hasOwn(SETTINGS, key) ? SETTINGS[key as SettingKey] : undefined;
    if (!def) throw invalidField(key, keyed("error.settings.unknown", { known: Object.keys(SETTINGS).join(", ") }));
    return [key, validate(def.schema as z.ZodType, value, key)] as const;
  });
  await ctx.tx(async () => {
    for (const [k, v] of entries) await ctx.store.settings.set(k, v);
  });
  const settings = parseSettings(await ctx.store.settings.all());
  await ctx.snapshot.setSettings(settings);
  return settings;
}

/** The part of the settings the /v1 hot path reads, kept in the snapshot. */
export const relaySettings = (s: Settings): RelaySettings => ({
  maxAttempts: s.max_attempts,
  trustedProxies: s.trusted_proxies.map((e) => parseCidr(e)).filter((c): c is Cidr => c !== null),
  breaker: {
    failures: s.breaker_failures,
    windowMs: s.breaker_window_seconds * 1000,
    cooldownMs: s.breaker_cooldown_seconds * 1000,
    maxCooldownMs: s.breaker_cooldown_seconds * 20_000,
  },
  bodyTimeoutMs: s.body_read_timeout_seconds * 1000,
  managementBodyBytes: s.management_body_limit_kb * 1024,
  minOutputTokens: s.min_output_tokens,
  budgetTimezone: s.budget_timezone,
});

/** First start: values given by flag or env become the stored settings, if none is stored yet. */
export async function seedSettings(ctx: Ctx, config: Config) {
  const seeds: Partial<Settings> = {
    register_enabled: config.registerEnabled,
    new_user_quota: config.newUserQuota,
    public_url: config.publicUrl,
    trusted_proxies: config.trustedProxies,
  };
  for (const [key, value] of Object.entries(seeds)) {
    if (value !== undefined && !(await ctx.store.settings.has(key))) await ctx.store.settings.set(key, value);
  }
}
