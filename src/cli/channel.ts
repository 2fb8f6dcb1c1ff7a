// `apiyi channel add|update|list|enable|disable`: upstream channels from the terminal. `add` prints
// the new id and nothing else on stdout (warnings, e.g. models without a price, go to stderr); the
// others print one line per channel, with its breaker, its health and why it is off or failing (the
// breaker and latency live in the server; what the CLI shows of them is what the server last saved).
// `test` and `balance` are in channel-checks.ts. None of them ever prints an upstream key.
import { CHANNEL_STATUS, KEY_STATUS } from "../core/status";
import { allChannels, createChannel, type getChannel, setChannelStatus, updateChannel } from "../services/channels";
import type { Ctx } from "../services/context";
import { CliError, type Command, type Flags, type Options } from "./args";
import { DATA_HELP, DATA_OPTIONS, withData } from "./open";

/** Service field → the flag a CLI user typed, so error messages name the flag. */
const CHANNEL_FLAG_NAMES: Record<string, string> = {
  id: "--id",
  name: "--name",
  type: "--type",
  base_url: "--base-url",
  key: "--key",
  models: "--models",
  model_mapping: "--mapping",
  group: "--group",
  priority: "--priority",
  weight: "--weight",
  supports_responses: "--supports-responses",
  api_version: "--api-version",
  max_output_tokens: "--max-output-tokens",
  balance_source: "--balance-source",
  balance_threshold: "--balance-threshold",
};

const CHANNEL_OPTIONS: Options = {
  name: { type: "string" },
  type: { type: "string" },
  "base-url": { type: "string" },
  key: { type: "string", multiple: true },
  models: { type: "string" },
  group: { type: "string" },
  priority: { type: "string" },
  weight: { type: "string" },
  mapping: { type: "string" },
  "supports-responses": { type: "boolean" },
  "api-version": { type: "string" },
  "max-output-tokens": { type: "string" },
  "balance-source": { type: "string" },
  "balance-threshold": { type: "string" },
  ...DATA_OPTIONS,
};

const CHANNEL_HELP = [
  "  --name N          channel name, 1–100 characters",
  "  --type T          openai (default), anthropic, gemini, azure or dashscope (Wan video jobs only)",
  "  --base-url URL    the upstream's base URL; one without a path gets the type's: openai and anthropic /v1",
  "                    (https://api.anthropic.com → …/v1), gemini /v1beta, azure none (https://RES.openai.azure.com),",
  "                    dashscope none (https://dashscope.aliyuncs.com, https://dashscope-intl.aliyuncs.com)",
  "  --key K           an upstream key; repeat for several (used round-robin)",
  "  --models a,b      models this channel serves",
  "  --group g1,g2     groups it serves (default: default)",
  "  --priority N      higher is tried first (default 0)",
  "  --weight N        share within a priority (default 1)",
  "  --mapping a=b     client model a is sent upstream as b; comma-separated pairs",
  "  --supports-responses[=true|false]",
  "                    openai type: the upstream also speaks /v1/responses (default false)",
  "  --api-version V   azure type (required there): the api-version, e.g. 2024-10-21",
  "  --max-output-tokens N",
  "                    most output tokens a call may ask this upstream for; larger max_tokens asks are lowered",
  "                    (e.g. 8192 for DeepSeek when Claude Code asks for 64000); 0 = no cap (default 0)",
  "  --balance-source S how the upstream balance is read: auto (default: DeepSeek, OpenRouter, SiliconFlow,",
  "                    Moonshot by host), none, oneapi (one-api/new-api resellers), openrouter, deepseek,",
  "                    siliconflow, moonshot",
  "  --balance-threshold X",
  "                    below this upstream balance (its currency) the channel leaves rotation; 0 = no rule",
  DATA_HELP,
];

/** "gpt-4o=gpt-4o-2024-08-06,fast=gpt-4o-mini" → {client: upstream}; the service checks the names. */
export function parseMapping(value: string | undefined): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const pairs = value.split(",").filter((p) => p.trim());
  return Object.fromEntries(
    pairs.map((pair) => {
      const eq = pair.indexOf("=");
      if (eq <= 0) throw new CliError(`--mapping: "${pair.trim()}" is not client=upstream`);
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
}

/** Whole numbers become numbers; anything else goes through as text for the service to refuse by name. */
const intFlag = (v: unknown) => (typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v);

/** The flags given → the service's fields; flags left out stay undefined (a default, or "keep"). */
const channelInput = (flags: Flags) => ({
  name: flags.name,
  type: flags.type,
  base_url: flags["base-url"],
  key: flags.key as unknown as string[] | undefined,
  models: flags.models,
  model_mapping: parseMapping(flags.mapping as string | undefined),
  group: flags.group,
  priority: intFlag(flags.priority),
  weight: intFlag(flags.weight),
  supports_responses: flags["supports-responses"],
  api_version: flags["api-version"],
  max_output_tokens: intFlag(flags["max-output-tokens"]),
  balance_source: flags["balance-source"],
  balance_threshold: flags["balance-threshold"],
});

const STATUS_WORDS: Record<number, string> = {
  [CHANNEL_STATUS.enabled]: "enabled",
  [CHANNEL_STATUS.disabled]: "disabled",
  [CHANNEL_STATUS.autoDisabled]: "auto-disabled",
};
/** free text on a tab-separated line: no tabs or line breaks */
export const oneLine = (text: string) => text.replace(/[\t\r\n]+/g, " ");
const since = (unixS: number) => new Date(unixS * 1000).toISOString().replace(/\.\d+Z$/, "Z");

const KEY_WORDS: Record<number, string> = {
  [KEY_STATUS.usable]: "usable",
  [KEY_STATUS.cooling]: "out-of-credit",
  [KEY_STATUS.dead]: "rejected",
};

/** id, name, status, type, base URL, groups, models, key count, breaker; then, when they apply: keys
 * out of rotation, the type's extras, the output cap, why the channel is off, the last failure. */
export function channelLine(c: Awaited<ReturnType<typeof getChannel>>) {
  const status = STATUS_WORDS[c.status] ?? String(c.status);
  const h = c.health;
  const fields = [
    c.id,
    c.name,
    status,
    c.type,
    c.base_url,
    `groups=${c.groups.join(",")}`,
    `models=${c.models.join(",")}`,
    `keys=${c.key_count}`,
    `breaker=${h.breaker}`,
  ];
  const dead = c.key_states.filter((k) => k.status === KEY_STATUS.dead).length;
  const cooling = c.key_states.filter((k) => k.status === KEY_STATUS.cooling).length;
  if (dead) fields.push(`dead-keys=${dead}`);
  if (cooling) fields.push(`cooling-keys=${cooling}`);
  if (dead || cooling)
    fields.push(`key-states=${c.key_states.map((k) => `${k.index + 1}:${KEY_WORDS[k.status] ?? k.status}`).join(",")}`);
  if (c.supports_responses) fields.push("responses=yes");
  if (c.api_version) fields.push(`api-version=${c.api_version}`);
  if (c.max_output_tokens) fields.push(`max-output-tokens=${c.max_output_tokens}`);
  if (c.status_reason) fields.push(`reason=${oneLine(c.status_reason)}`);
  if (h.last_error && h.last_error_at >= h.last_ok_at)
    fields.push(`last-error=${oneLine(h.last_error)} (${since(h.last_error_at)})`);
  return [...fields, ...healthFields(c)].join("\t");
}

/** What the channel list adds last, when it applies: when an open breaker lets a call through again,
 * the balance rule holding the channel out, the last success,
 * the latency median over the last hour, the scheduled test's last run, and the upstream balance. */
function healthFields(c: Awaited<ReturnType<typeof getChannel>>): string[] {
  const h = c.health;
  const b = c.balance;
  const out: string[] = [];
  if (h.breaker === "open" && h.open_until) out.push(`open-until=${since(h.open_until / 1000)}`);
  if (c.state === "balance_low") out.push(`out-of-rotation=${oneLine(c.state_detail)}`);
  if (h.last_ok_at) out.push(`last-ok=${since(h.last_ok_at)}`);
  if (h.latency_p50_ms !== null) out.push(`p50=${h.latency_p50_ms}ms/${h.latency_samples}`);
  if (h.last_probe_at)
    out.push(
      `last-test=${since(h.last_probe_at)} ${h.last_probe_ok ? "passed" : `failed: ${oneLine(h.last_probe_error)}`}`,
    );
  if (b.amount !== null) out.push(`balance=${b.amount} ${b.currency} (${since(b.at)})`);
  if (b.error && b.error_at >= b.at) out.push(`balance-error=${oneLine(b.error)} (${since(b.error_at)})`);
  if (c.balance_threshold) out.push(`balance-threshold=${c.balance_threshold}`);
  return out;
}

/** Warnings of a write (models without a price, a base URL cut short) on stderr: stdout stays the result. */
const warn = (command: string, warnings: string[]) => {
  for (const w of warnings) console.error(`apiyi ${command}: warning: ${w}`);
};

/** --id as a channel id (a whole number ≥ 1), or a CliError naming the flag. */
export function channelId(flags: Flags): number {
  const id = flags.id;
  if (typeof id !== "string" || !/^\d+$/.test(id) || Number(id) < 1)
    throw new CliError("--id: the channel's id, a whole number (see apiyi channel list)");
  return Number(id);
}

export const channelAdd: Command = {
  name: "channel add",
  flagNames: CHANNEL_FLAG_NAMES,
  summary: "Add an upstream channel and print its id. Keys are stored sealed and never shown again.",
  usage:
    "--name N --base-url URL --key K [--key K2 …] --models a,b [--group g1,g2] [--priority N] [--weight N] [--mapping a=b,c=d] [--type openai|anthropic|gemini|azure|dashscope] [--supports-responses] [--api-version V] [--max-output-tokens N] [--balance-source S] [--balance-threshold X] [--data-dir DIR]",
  options: CHANNEL_OPTIONS,
  help: CHANNEL_HELP,
  async run(flags: Flags) {
    const input = channelInput(flags);
    await withData(flags, async (ctx) => {
      const c = await createChannel(ctx, { ...input, key: input.key ?? [] });
      console.log(c.id);
      warn("channel add", c.warnings);
    });
  },
};

export const channelUpdate: Command = {
  name: "channel update",
  flagNames: CHANNEL_FLAG_NAMES,
  summary:
    "Change a channel: only the flags given change; --key replaces all its keys (and clears its failure state: an auto-disabled channel is enabled again). Prints the channel's line.",
  usage:
    "--id N [--name N] [--type T] [--base-url URL] [--key K …] [--models a,b] [--group g1,g2] [--priority N] [--weight N] [--mapping a=b] [--supports-responses[=true|false]] [--api-version V] [--max-output-tokens N] [--balance-source S] [--balance-threshold X] [--data-dir DIR]",
  options: { id: { type: "string" }, ...CHANNEL_OPTIONS },
  help: ["  --id N            the channel to change (apiyi channel list shows the ids)", ...CHANNEL_HELP],
  async run(flags: Flags) {
    const input = { id: channelId(flags), ...channelInput(flags) };
    await withData(flags, async (ctx) => {
      const c = await updateChannel(ctx, input);
      console.log(channelLine(c));
      warn("channel update", c.warnings);
    });
  },
};

const LINE_HELP = [
  "  Each line: id, name, status (enabled, disabled, auto-disabled), type, base URL, groups=, models=, keys=,",
  "  breaker= (closed, open, half_open: as the running server last saved it), then when they apply: dead-keys=N",
  "  (rejected by the upstream), cooling-keys=N (account out of credit, tried again after a cooldown),",
  "  key-states=1:usable,2:rejected,3:out-of-credit (each key, when one is out),",
  "  responses=yes, api-version=V, max-output-tokens=N, reason= (why it was disabled), last-error= (the last",
  "  failure's cause and when), open-until= (an open breaker), out-of-rotation= (upstream balance below the",
  "  threshold), last-ok= (the last success), p50=Nms/S (latency median over the last hour, S samples),",
  "  last-test= (the scheduled channel test's last run), balance= (the upstream balance as last read),",
  "  balance-error=, balance-threshold=.",
];

export const channelList: Command = {
  name: "channel list",
  summary: "List channels, one per line, with each one's breaker and, when it is off or failing, why.",
  usage: "[--data-dir DIR]",
  options: { ...DATA_OPTIONS },
  help: [...LINE_HELP, DATA_HELP],
  async run(flags) {
    await withData(flags, async (ctx) => {
      for (const c of await allChannels(ctx)) console.log(channelLine(c));
    });
  },
};

export const ID_HELP = "  --id N            the channel (apiyi channel list shows the ids)";

/** A `channel` command that takes only --id (and --data-dir): `act` does it; its number is the exit code. */
export const idCommand = (
  name: string,
  summary: string,
  // biome-ignore lint/suspicious/noConfusingVoidType: an act that returns nothing exits 0
  act: (ctx: Ctx, id: number) => Promise<number | void> | number | void,
): Command => ({
  name: `channel ${name}`,
  summary,
  usage: "--id N [--data-dir DIR]",
  options: { id: { type: "string" }, ...DATA_OPTIONS },
  flagNames: { id: "--id" },
  help: [ID_HELP, DATA_HELP],
  async run(flags) {
    const id = channelId(flags);
    return withData(flags, (ctx) => act(ctx, id));
  },
});

/** enable / disable: the same operation as the console's button and PUT /api/channel/?status_only=true. */
const statusCommand = (
  name: "enable" | "disable",
  status: typeof CHANNEL_STATUS.enabled | typeof CHANNEL_STATUS.disabled,
  summary: string,
): Command =>
  idCommand(name, summary, async (ctx, id) => {
    console.log(channelLine(await setChannelStatus(ctx, { id, status })));
  });

export const channelEnable = statusCommand(
  "enable",
  CHANNEL_STATUS.enabled,
  "Enable a channel, also one disabled automatically: every key back in rotation, failure state and breaker cleared. Prints the channel's line.",
);
export const channelDisable = statusCommand(
  "disable",
  CHANNEL_STATUS.disabled,
  "Disable a channel (no call goes to it until it is enabled). Prints the channel's line.",
);
