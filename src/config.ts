// Flags + environment → one validated Config. The only module that reads process.env; flags win
// over env, env over defaults. A bad value becomes one ConfigError line naming the flag or variable.
import { z } from "zod";
import { isIP } from "node:net";
import { checkedUrl } from "./core/checked-url";
import { parseCidr } from "./core/ip";
import { databaseUrlSchema, passwordOnCommandLine, redactDatabaseUrl } from "./db/pg/url";

export class ConfigError extends Error {}

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"], { error: "must be true or false" })
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

/** The address clients reach this server at (shown in request examples and share links): an http(s)
 * URL without query or fragment, its trailing slash removed; "" = not set. Also the `public_url`
 * setting's schema. */
export const publicUrlSchema = z
  .string()
  .trim()
  .max(2000, "must be at most 2000 characters")
  .transform((v, c) =>
    v === ""
      ? ""
      : checkedUrl(
          "must be an http(s) URL such as https://api.example.com",
          (url, raw) => {
            if (url.protocol !== "http:" && url.protocol !== "https:") return "must start with http:// or https://";
            if (raw.includes("?") || raw.includes("#")) return "must not have a query (?…) or a fragment (#…)";
            if (url.username || url.password) return "must not contain a user name or password";
            return null;
          },
          (url) => `${url.origin}${url.pathname}`.replace(/\/+$/, ""),
        )(v, c),
  );

/** Each setting: its flag, its environment variable and its schema (given a string). */
export const CONFIG_FIELDS = {
  port: {
    flag: "port",
    env: "APIYI_PORT",
    schema: z.coerce
      .number({ error: "must be a port number" })
      .int("must be a whole number")
      .min(0, "must be 0–65535")
      .max(65535, "must be 0–65535")
      .default(3000),
  },
  host: { flag: "host", env: "APIYI_HOST", schema: z.string().min(1).default("127.0.0.1") },
  dataDir: { flag: "data-dir", env: "APIYI_DATA_DIR", schema: z.string().min(1).default("./data") },
  /** PostgreSQL instead of the data dir's SQLite file (several instances on one database) */
  database: {
    flag: "database",
    env: "APIYI_DATABASE_URL",
    schema: databaseUrlSchema.optional(),
    /** how a refused value is echoed: it may carry a password */
    shown: redactDatabaseUrl,
  },
  shutdownTimeout: {
    flag: "shutdown-timeout",
    env: "APIYI_SHUTDOWN_TIMEOUT",
    schema: z.coerce
      .number({ error: "must be a number of seconds" })
      .min(0, "must be 0–3600 seconds")
      .max(3600, "must be 0–3600 seconds")
      .default(30),
  },
  trustedProxies: {
    flag: "trusted-proxies",
    env: "APIYI_TRUSTED_PROXIES",
    schema: z
      .string()
      .optional()
      .transform((v, c) => {
        if (v === undefined) return undefined;
        const list = v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
        const bad = list.find((e) => parseCidr(e) === null);
        if (bad) c.addIssue({ code: "custom", message: `"${bad}" is neither an IP address nor a CIDR` });
        return list;
      }),
  },
  maxBodyMb: {
    flag: "max-body-mb",
    env: "APIYI_MAX_BODY_MB",
    schema: z.coerce
      .number({ error: "must be a number of MiB" })
      .positive("must be more than 0")
      .max(1024, "must be at most 1024")
      .default(32),
  },
  registerEnabled: { flag: "register-enabled", env: "APIYI_REGISTER_ENABLED", schema: bool.optional() },
  newUserQuota: {
    flag: "new-user-quota",
    env: "APIYI_NEW_USER_QUOTA",
    schema: z.coerce
      .number({ error: "must be a number of quota units" })
      .int("must be a whole number of quota units")
      .min(0, "must not be negative")
      .optional(),
  },
  publicUrl: { flag: "public-url", env: "APIYI_PUBLIC_URL", schema: publicUrlSchema.optional() },
  /** upstream host names pinned to addresses, like curl's --resolve: "name=address,…" (the egress
   * guard checks these addresses as it checks DNS answers) */
  resolve: {
    flag: "resolve",
    env: "APIYI_RESOLVE",
    schema: z
      .string()
      .optional()
      .transform((v, c) => {
        const pins: Record<string, string> = {};
        for (const pair of (v ?? "")
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)) {
          const [name, address, extra] = pair.split("=").map((s) => s.trim());
          if (!name || !address || extra !== undefined || isIP(address) === 0)
            c.addIssue({ code: "custom", message: `"${pair}" is not name=IP-address` });
          else pins[name.toLowerCase()] = address;
        }
        return pins;
      }),
  },
} as const;

type Fields = typeof CONFIG_FIELDS;
export type Config = { [K in keyof Fields]: z.output<Fields[K]["schema"]> } & {
  /** env only: never put secrets on a command line, where `ps` shows them */
  secret: string | undefined;
  adminPassword: string | undefined;
  /** a bearer token that may scrape /metrics (besides admins) */
  metricsToken: string | undefined;
  /** TEST ONLY (APIYI_TEST_CLOCK_MS, honoured only when NODE_ENV=test): the clock's reading at start,
   * unix ms, from which it runs on; lets a test put a budget period's boundary a few seconds ahead */
  testClockMs: number | undefined;
  /** TEST ONLY (APIYI_TEST_PRICE_CATALOG, honoured only when NODE_ENV=test): a price catalog JSON file
   * used instead of the built-in one, so a test can play a newer binary's catalog */
  testPriceCatalog: string | undefined;
  /** TEST ONLY (APIYI_TEST_LEASE_MS, honoured only when NODE_ENV=test): quota leases' lifetime on
   * PostgreSQL, the other lease timings scaled with it, so a test sees a dead instance's lease expire soon */
  testLeaseMs: number | undefined;
};

export function loadConfig(flags: Record<string, string | boolean | undefined>, env = process.env): Config {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(CONFIG_FIELDS)) {
    const fromFlag = flags[field.flag];
    // an empty environment variable counts as unset (compose files often write APIYI_PORT=)
    const raw = fromFlag ?? (env[field.env] === "" ? undefined : env[field.env]);
    const source = fromFlag !== undefined ? `--${field.flag}` : field.env;
    if (raw !== undefined && String(raw).trim() === "") throw new ConfigError(`${source}: must not be blank`);
    const parsed = (field.schema as z.ZodType).safeParse(raw === undefined ? undefined : String(raw));
    if (!parsed.success) {
      const shown = "shown" in field ? field.shown(String(raw)) : raw;
      throw new ConfigError(`${source}: ${parsed.error.issues[0]?.message ?? "invalid value"} (got "${shown}")`);
    }
    out[key] = parsed.data;
  }
  const onCommandLine =
    typeof flags.database === "string" &&
    passwordOnCommandLine(
      "--database",
      flags.database,
      "put the whole URL in APIYI_DATABASE_URL, or the password in PGPASSWORD",
    );
  if (onCommandLine) throw new ConfigError(onCommandLine);
  const secret = env.APIYI_SECRET || undefined;
  if (secret !== undefined && secret.length < 32) {
    throw new ConfigError("APIYI_SECRET: must be at least 32 characters");
  }
  const adminPassword = env.APIYI_ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && adminPassword.length < 8) {
    throw new ConfigError("APIYI_ADMIN_PASSWORD: must be at least 8 characters");
  }
  const metricsToken = env.APIYI_METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && metricsToken.length < 16) {
    throw new ConfigError("APIYI_METRICS_TOKEN: must be at least 16 characters");
  }
  const testClock = env.NODE_ENV === "test" ? Number(env.APIYI_TEST_CLOCK_MS) : Number.NaN;
  const testClockMs = Number.isSafeInteger(testClock) && testClock > 0 ? testClock : undefined;
  const testPriceCatalog = (env.NODE_ENV === "test" && env.APIYI_TEST_PRICE_CATALOG) || undefined;
  const testLease = env.NODE_ENV === "test" ? Number(env.APIYI_TEST_LEASE_MS) : Number.NaN;
  const testLeaseMs = Number.isSafeInteger(testLease) && testLease >= 500 ? testLease : undefined;
  const client = env.APIYI_UPSTREAM_CLIENT;
  if (client && client !== "h1" && client !== "fetch")
    throw new ConfigError(`APIYI_UPSTREAM_CLIENT: must be h1 or fetch (got "${client}")`);
  return {
    ...(out as Omit<
      Config,
      "secret" | "adminPassword" | "metricsToken" | "testClockMs" | "testPriceCatalog" | "testLeaseMs"
    >),
    secret,
    adminPassword,
    metricsToken,
    testClockMs,
    testPriceCatalog,
    testLeaseMs,
  };
}

/** How upstream calls are made (APIYI_UPSTREAM_CLIENT, env only, read once at start; loadConfig refuses
 * other values): apiyi's own HTTP/1.1 client (net/h1), or Bun's fetch for every call. */
export const upstreamClient = (env = process.env): "h1" | "fetch" =>
  env.APIYI_UPSTREAM_CLIENT === "fetch" ? "fetch" : "h1";

/** Read-only access to NODE_ENV and friends for the entry point, so nothing else touches process.env. */
export const environment = (name: string) => process.env[name];
