// The shape of a channel as people send it: the API body (compatible with new-api's) and CLI flags.
// Validation messages never repeat an upstream key or a base URL (it may hold a secret).
import { z } from "zod";
import { refusedHost } from "../core/egress";
import { parseMicros } from "../core/money";
import { normalizeList } from "../core/token-rules";
import { BALANCE_SOURCES } from "../core/upstream-balance";
import { PROVIDERS } from "../relay/wire";
import { CHANNEL_STATUS } from "../core/status";
import { type ErrorText, keyed } from "../errors";

/** Upstream types: one per provider in relay/wire (adding a type is adding its folder there). */
export const CHANNEL_TYPES = Object.keys(PROVIDERS) as [string, ...string[]];
export type ChannelType = string;

const rules = (type: string) => PROVIDERS[type]?.baseUrl;

/** What each type's base URL looks like, for forms and help. */
export const BASE_URL_EXAMPLES: Record<string, string> = Object.fromEntries(
  CHANNEL_TYPES.map((t) => [t, rules(t)!.example]),
);

const MAX_KEYS = 1000;
const MAX_KEY_LENGTH = 4096;
const HOUR_MS = 3_600_000;
const INT32 = 2 ** 31 - 1;
/** The highest output cap a channel may have (no model comes near it; it only bounds typos). */
export const MAX_OUTPUT_TOKENS_LIMIT = 10_000_000;

/** A zod error that says "required" for a missing field and `expected` for a wrong one. */
const expecting = (expected: string) => ({
  error: (iss: { input?: unknown }) => (iss.input === undefined ? "required" : expected),
});
const int = (min: number, max: number) =>
  z.number(expecting("a whole number")).int("a whole number").min(min, `at least ${min}`).max(max, `at most ${max}`);

/** An array or a comma/newline string → a normalised list; problems are reported on the field itself
 * (not on an element), so the CLI can name the flag. */
const list = (what: string, max: number, itemMax: number) =>
  z
    .union([z.array(z.string()), z.string()], expecting(`a comma-separated string or an array of ${what}`))
    .transform((v, c) => {
      const items = normalizeList(v);
      if (items.length === 0) c.addIssue({ code: "custom", message: `at least one ${what.replace(/s$/, "")}` });
      else if (items.length > max) c.addIssue({ code: "custom", message: `at most ${max} ${what}` });
      else if (items.some((s) => s.length > itemMax))
        c.addIssue({ code: "custom", message: `each of the ${what} is at most ${itemMax} characters` });
      return items;
    });

/** One key per line (new-api), or an array. Trimmed, blanks dropped, duplicates dropped. May be empty
 * here: create requires a key, an update treats "no keys" as "keep the stored ones". */
const keyList = z
  .union([z.string(), z.array(z.string())], expecting("the upstream keys: one per line, or an array"))
  .transform((v, c) => {
    const keys = normalizeList(Array.isArray(v) ? v : v.split("\n"));
    // biome-ignore lint/suspicious/noControlCharactersInRegex: a key must not hold control characters
    const bad = keys.findIndex((k) => k.length > MAX_KEY_LENGTH || /[\s\x00-\x1f\x7f]/.test(k));
    if (keys.length > MAX_KEYS) c.addIssue({ code: "custom", message: `at most ${MAX_KEYS} keys` });
    else if (bad >= 0)
      c.addIssue({
        code: "custom",
        message: `key #${bad + 1} contains whitespace or control characters, or is over ${MAX_KEY_LENGTH} characters`,
      });
    return keys;
  });

/** http(s), a host that is not link-local or a metadata service (in any spelling: the URL parser
 * canonicalises decimal, hex, octal and short IPv4), no credentials, no query or fragment; trailing
 * slashes dropped. The path is kept as given (none stays none: which default applies depends on the channel's type, see withDefaultPath). */
function canonicalBaseUrl(raw: string): { url: string } | { problem: string } {
  const text = raw.trim();
  if (/[?#]/.test(text)) return { problem: "must not have a query or a fragment" };
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return { problem: "is not a URL (e.g. https://api.openai.com/v1)" };
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return { problem: "must start with http:// or https://" };
  if (!u.hostname) return { problem: "must name a host" };
  if (u.username || u.password) return { problem: "must not contain credentials (user:password@)" };
  const refused = refusedHost(u.hostname);
  if (refused)
    return {
      problem: `must not point at a link-local or cloud-metadata address (${refused}); loopback and private addresses are allowed`,
    };
  return { url: `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, "")}` };
}

/** A base URL that ends in an endpoint path (…/v1/chat/completions pasted whole): the type's own
 * endpoint is cut off (`note` says so; `root` when nothing is left, so no default path is added),
 * another type's is refused with what to do instead. */
export function withoutEndpoint(
  url: string,
  type: string,
): { url: string; note?: string; root?: boolean } | { problem: string } {
  const u = new URL(url);
  const path = u.pathname.replace(/\/+$/, "");
  const m = rules(type)?.endpoints.exec(path);
  // another type's endpoint counts when it is longer than this type's own (…/openai/deployments/…/chat/completions
  // is Azure's, even for type openai); the longest names the type
  let foreign: { match: string; hint: string } | null = null;
  for (const t of CHANNEL_TYPES) {
    const f = t === type ? null : rules(t)!.foreign.pattern.exec(path);
    if (f && f[0].length > (m?.[0].length ?? 0) && f[0].length > (foreign?.match.length ?? 0))
      foreign = { match: f[0], hint: rules(t)!.foreign.hint };
  }
  if (foreign)
    return {
      problem: `ends in ${foreign.match}, which is ${foreign.hint}; or give this type's base URL without an endpoint path`,
    };
  if (!m) return { url };
  const rest = path.slice(0, m.index);
  return {
    url: `${u.protocol}//${u.host}${rest}`,
    root: rest === "",
    note: `base_url ended in ${m[0]}, an endpoint path apiyi adds itself; it was removed`,
  };
}

/** A canonical base URL (validated, as stored or as the schema gives it) with the type's default
 * path when it has no path: https://api.anthropic.com → …/v1, a gemini host → …/v1beta, azure as is. */
export function withDefaultPath(url: string, type: string): string {
  const bare = url.replace(/\/+$/, "");
  if (new URL(bare).pathname !== "/") return bare;
  return bare + (rules(type)?.defaultPath ?? "/v1");
}

/** http(s), a host, no credentials, no query or fragment; trailing slashes dropped; no path → the
 * type's default path (openai and anthropic /v1, gemini /v1beta, azure none). */
export function normalizeBaseUrl(raw: string, type: string = "openai"): { url: string } | { problem: string } {
  const r = canonicalBaseUrl(raw);
  return "url" in r ? { url: withDefaultPath(r.url, type) } : r;
}

/** Validated and canonical, but without a default path yet: the service adds the one of the channel's
 * (effective) type, which an update may not send. */
const baseUrl = z
  .string(expecting("a string: the upstream's base URL"))
  .max(2000, "at most 2000 characters")
  .transform((v, c) => {
    const r = canonicalBaseUrl(v);
    if ("problem" in r) c.addIssue({ code: "custom", message: r.problem });
    return "url" in r ? r.url : "";
  });

/** Azure's api-version query parameter: required for azure (checked with the effective type by the
 * service), ignored by the other types. */
const apiVersion = z
  .string(expecting("a string, e.g. 2024-10-21"))
  .trim()
  .max(40, "at most 40 characters")
  .regex(/^[A-Za-z0-9.-]*$/, "only letters, digits, dots and dashes (e.g. 2024-10-21)");

/** An object, or its JSON text (new-api sends a string; "" means none). Names and targets trimmed. */
const modelMapping = z.union([z.record(z.string(), z.unknown()), z.string(), z.null()]).transform((v, c) => {
  let obj: unknown = v;
  if (typeof v === "string") {
    try {
      obj = v.trim() ? JSON.parse(v) : {};
    } catch {
      c.addIssue({ code: "custom", message: "is not valid JSON" });
      return {};
    }
  }
  if (obj === null) return {};
  if (typeof obj !== "object" || Array.isArray(obj)) {
    c.addIssue({ code: "custom", message: 'must be an object {"client model": "upstream model"}' });
    return {};
  }
  const bad = Object.entries(obj).find(([from, to]) => !from.trim() || typeof to !== "string" || !to.trim());
  if (bad) c.addIssue({ code: "custom", message: `"${bad[0]}" must map to a non-empty model name` });
  // fromEntries defines own properties: a model named "__proto__" stays a plain entry
  return bad ? {} : Object.fromEntries(Object.entries(obj).map(([from, to]) => [from.trim(), (to as string).trim()]));
});

/** The upstream's own limit on output tokens: a larger max_tokens ask is lowered to it (0: no cap). One
 * message for every wrong value (left out, wrong type, a fraction, out of range): it says what to send. */
const OUTPUT_CAP = `a whole number from 0 (no cap) to ${MAX_OUTPUT_TOKENS_LIMIT}`;
const maxOutputTokens = z
  .number(OUTPUT_CAP)
  .int(OUTPUT_CAP)
  .min(0, OUTPUT_CAP)
  .max(MAX_OUTPUT_TOKENS_LIMIT, OUTPUT_CAP);

/** A balance threshold in the upstream's currency (up to 6 decimals) → millionths; 0 = no rule. */
const THRESHOLD = "a number from 0 (no rule) with at most 6 decimals, in the upstream's currency";
const balanceThreshold = z.union([z.number(THRESHOLD), z.string(THRESHOLD)], THRESHOLD).transform((v, c) => {
  try {
    return parseMicros(v);
  } catch {
    c.addIssue({ code: "custom", message: THRESHOLD });
    return 0;
  }
});

const timeout = int(1, HOUR_MS).describe("milliseconds, at most one hour");
const adminStatus = z.union(
  [z.literal(CHANNEL_STATUS.enabled), z.literal(CHANNEL_STATUS.disabled)],
  expecting("1 (enabled) or 2 (disabled)"),
);

export const ChannelFields = z.object({
  name: z.string(expecting("a string")).trim().min(1, "must not be empty").max(100, "at most 100 characters"),
  type: z.enum(CHANNEL_TYPES, expecting(`one of: ${CHANNEL_TYPES.join(", ")}`)),
  base_url: baseUrl,
  key: keyList.describe("upstream keys, one per line (or an array); never shown again"),
  models: list("models", 1000, 200).describe("models served: comma string or array"),
  model_mapping: modelMapping.describe("client model → upstream model, as an object or its JSON"),
  group: list("groups", 100, 64).describe("existing group names: comma string or array"),
  priority: int(-INT32, INT32).describe("higher is tried first"),
  weight: int(0, INT32).describe("share within a priority tier"),
  status: adminStatus,
  timeout_connect_ms: timeout,
  timeout_first_byte_ms: timeout,
  timeout_idle_ms: timeout.describe("longest wait between two chunks of a stream"),
  supports_responses: z
    .boolean(expecting("true or false"))
    .describe(
      "openai type only (accepted and ignored for the others): the upstream also speaks /v1/responses natively",
    ),
  api_version: apiVersion.describe(
    "azure type only (required there, e.g. 2024-10-21; ignored for the others): the api-version query parameter",
  ),
  max_output_tokens: maxOutputTokens.describe(
    "most output tokens a call may ask this upstream for; a larger max_tokens ask (e.g. Claude Code's 64000) is lowered to it (e.g. 8192 for DeepSeek); 0 means no cap",
  ),
  balance_source: z
    .enum(BALANCE_SOURCES, expecting(`one of: ${BALANCE_SOURCES.join(", ")}`))
    .describe(
      "how the upstream balance is read: auto (by host: DeepSeek, OpenRouter, SiliconFlow, Moonshot), none, or oneapi (one-api/new-api resellers), openrouter, deepseek, siliconflow, moonshot",
    ),
  balance_threshold: balanceThreshold.describe(
    "below this upstream balance (in its currency) the channel leaves rotation until a reading at or above it; 0 = no rule",
  ),
});

const F = ChannelFields.shape;
export const ChannelCreate = ChannelFields.extend({
  type: F.type.default("openai"),
  key: F.key.refine((k) => k.length > 0, "at least one upstream key"),
  model_mapping: F.model_mapping.default({}),
  group: F.group.default(["default"]),
  priority: F.priority.default(0),
  weight: F.weight.default(1),
  status: F.status.default(CHANNEL_STATUS.enabled),
  timeout_connect_ms: F.timeout_connect_ms.default(10_000),
  timeout_first_byte_ms: F.timeout_first_byte_ms.default(120_000),
  timeout_idle_ms: F.timeout_idle_ms.default(300_000),
  supports_responses: F.supports_responses.default(false),
  api_version: F.api_version.default(""),
  max_output_tokens: F.max_output_tokens.default(0),
  balance_source: F.balance_source.default("auto"),
  balance_threshold: F.balance_threshold.default(0),
});
export type ChannelCreateInput = z.output<typeof ChannelCreate>;

/** PUT /api/channel/: `id` plus any fields, left-out ones keep their values. Status 3 is accepted only
 * when it is the channel's current status (a form sending back what it loaded). */
export const ChannelUpdate = ChannelFields.partial().extend({
  id: z.number().int().positive(),
  status: z
    .union([adminStatus, z.literal(CHANNEL_STATUS.autoDisabled)], expecting("1 (enabled) or 2 (disabled)"))
    .optional(),
});
export type ChannelUpdateInput = z.output<typeof ChannelUpdate>;
/** Rules across fields, checked by the service against the effective values (an update may send
 * neither the type nor the api_version): azure needs its api-version. Returns [field, problem]. */
export function channelProblem(type: string, apiVersion: string): [string, ErrorText] | null {
  const example = rules(type)?.apiVersionExample;
  if (example && !apiVersion) return ["api_version", keyed("error.channel.apiVersion", { type, example })];
  return null;
}

export const ChannelStatusUpdate = z.object({ id: z.number().int().positive(), status: adminStatus });
