// `apiyi channel add`, `apiyi channel update` and `apiyi channel list`: upstream channels from the
// terminal. `add` prints the new id and nothing else; `update` and `list` print one line per channel.
// None of them ever prints an upstream key.
import { allChannels, createChannel, getChannel, updateChannel } from "../services/channels";
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
  ...DATA_OPTIONS,
};

const CHANNEL_HELP = [
  "  --name N          channel name, 1–100 characters",
  "  --type T          openai (default), anthropic, gemini or azure",
  "  --base-url URL    the upstream's base URL; one without a path gets the type's: openai and anthropic /v1",
  "                    (https://api.anthropic.com → …/v1), gemini /v1beta, azure none (https://RES.openai.azure.com)",
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
});

const STATUS_WORDS: Record<number, string> = { 1: "enabled", 2: "disabled", 3: "auto-disabled" };

/** id, name, status, type, base URL, groups, models, key count; then the type's extras and the output
 * cap when set. */
function channelLine(c: ReturnType<typeof getChannel>) {
  const status = STATUS_WORDS[c.status] ?? String(c.status);
  const fields = [c.id, c.name, status, c.type, c.base_url, `groups=${c.groups.join(",")}`, `models=${c.models.join(",")}`, `keys=${c.key_count}`];
  if (c.supports_responses) fields.push("responses=yes");
  if (c.api_version) fields.push(`api-version=${c.api_version}`);
  if (c.max_output_tokens) fields.push(`max-output-tokens=${c.max_output_tokens}`);
  return fields.join("\t");
}

export const channelAdd: Command = {
  name: "channel add",
  flagNames: CHANNEL_FLAG_NAMES,
  summary: "Add an upstream channel and print its id. Keys are stored sealed and never shown again.",
  usage:
    "--name N --base-url URL --key K [--key K2 …] --models a,b [--group g1,g2] [--priority N] [--weight N] [--mapping a=b,c=d] [--type openai|anthropic|gemini|azure] [--supports-responses] [--api-version V] [--max-output-tokens N] [--data-dir DIR]",
  options: CHANNEL_OPTIONS,
  help: CHANNEL_HELP,
  async run(flags: Flags) {
    const input = channelInput(flags);
    await withData(flags, async (ctx) => {
      console.log(createChannel(ctx, { ...input, key: input.key ?? [] }).id);
    });
  },
};

export const channelUpdate: Command = {
  name: "channel update",
  flagNames: CHANNEL_FLAG_NAMES,
  summary: "Change a channel: only the flags given change; --key replaces all its keys. Prints the channel's line.",
  usage: "--id N [--name N] [--type T] [--base-url URL] [--key K …] [--models a,b] [--group g1,g2] [--priority N] [--weight N] [--mapping a=b] [--supports-responses[=true|false]] [--api-version V] [--max-output-tokens N] [--data-dir DIR]",
  options: { id: { type: "string" }, ...CHANNEL_OPTIONS },
  help: ["  --id N            the channel to change (apiyi channel list shows the ids)", ...CHANNEL_HELP],
  async run(flags: Flags) {
    const id = flags.id;
    if (typeof id !== "string" || !/^\d+$/.test(id) || Number(id) < 1) throw new CliError("--id: the channel's id, a whole number (see apiyi channel list)");
    const input = { id: Number(id), ...channelInput(flags) };
    await withData(flags, async (ctx) => {
      console.log(channelLine(updateChannel(ctx, input)));
    });
  },
};

export const channelList: Command = {
  name: "channel list",
  summary: "List channels, one per line: id, name, status, type, base URL, groups, models, key count (then responses=yes, api-version=V, max-output-tokens=N when set).",
  usage: "[--data-dir DIR]",
  options: { ...DATA_OPTIONS },
  help: [DATA_HELP],
  async run(flags) {
    await withData(flags, async (ctx) => {
      for (const c of allChannels(ctx)) console.log(channelLine(c));
    });
  },
};
