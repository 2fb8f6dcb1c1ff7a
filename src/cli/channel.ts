// `apiyi channel add` and `apiyi channel list`: upstream channels from the terminal. `add` prints the new
// id and nothing else; `list` prints one line per channel. Neither ever prints an upstream key.
import { allChannels, createChannel } from "../services/channels";
import { CliError, type Command, type Flags } from "./args";
import { DATA_HELP, DATA_OPTIONS, withData } from "./open";

/** Service field → the flag a CLI user typed, so error messages name the flag. */
const CHANNEL_FLAG_NAMES: Record<string, string> = {
  name: "--name",
  type: "--type",
  base_url: "--base-url",
  key: "--key",
  models: "--models",
  model_mapping: "--mapping",
  group: "--group",
  priority: "--priority",
  weight: "--weight",
};

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

export const channelAdd: Command = {
  name: "channel add",
  flagNames: CHANNEL_FLAG_NAMES,
  summary: "Add an upstream channel and print its id. Keys are stored sealed and never shown again.",
  usage: "--name N --base-url URL --key K [--key K2 …] --models a,b [--group g1,g2] [--priority N] [--weight N] [--mapping a=b,c=d] [--type openai] [--data-dir DIR]",
  options: {
    name: { type: "string" },
    type: { type: "string" },
    "base-url": { type: "string" },
    key: { type: "string", multiple: true },
    models: { type: "string" },
    group: { type: "string" },
    priority: { type: "string" },
    weight: { type: "string" },
    mapping: { type: "string" },
    ...DATA_OPTIONS,
  },
  help: [
    "  --name N          channel name, 1–100 characters",
    "  --base-url URL    OpenAI-style base URL; a bare host gets /v1 (https://api.deepseek.com → …/v1)",
    "  --key K           an upstream key; repeat for several (used round-robin)",
    "  --models a,b      models this channel serves",
    "  --group g1,g2     groups it serves (default: default)",
    "  --priority N      higher is tried first (default 0)",
    "  --weight N        share within a priority (default 1)",
    "  --mapping a=b     client model a is sent upstream as b; comma-separated pairs",
    "  --type T          upstream type (default openai)",
    DATA_HELP,
  ],
  async run(flags: Flags) {
    const input = {
      name: flags.name,
      type: flags.type,
      base_url: flags["base-url"],
      key: (flags.key as unknown as string[] | undefined) ?? [],
      models: flags.models,
      model_mapping: parseMapping(flags.mapping as string | undefined),
      group: flags.group,
      priority: intFlag(flags.priority),
      weight: intFlag(flags.weight),
    };
    await withData(flags, async (ctx) => {
      console.log(createChannel(ctx, input).id);
    });
  },
};

const STATUS_WORDS: Record<number, string> = { 1: "enabled", 2: "disabled", 3: "auto-disabled" };

export const channelList: Command = {
  name: "channel list",
  summary: "List channels, one per line: id, name, status, type, base URL, groups, models, key count.",
  usage: "[--data-dir DIR]",
  options: { ...DATA_OPTIONS },
  help: [DATA_HELP],
  async run(flags) {
    await withData(flags, async (ctx) => {
      for (const c of allChannels(ctx)) {
        const status = STATUS_WORDS[c.status] ?? String(c.status);
        const fields = [c.id, c.name, status, c.type, c.base_url, `groups=${c.groups.join(",")}`, `models=${c.models.join(",")}`, `keys=${c.key_count}`];
        console.log(fields.join("\t"));
      }
    });
  },
};
