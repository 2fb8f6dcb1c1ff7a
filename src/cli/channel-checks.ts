// `apiyi channel test|balance`: checks of an upstream made from this process, through the same egress
// guard as the server. `test` sends one minimal call (a pass re-enables a channel disabled
// automatically); `balance` reads the upstream balance and applies the channel's threshold (the server
// follows a change of rotation at once; the admin alert for a low balance is the server's, on its own
// reads). Both print the channel's line; neither ever prints an upstream key.
import { configureResolver } from "../net/resolve";
import { probeChannel } from "../relay/attempt/probe";
import { getChannel } from "../services/channels";
import { refreshBalance } from "../services/upstream-balance";
import type { Command } from "./args";
import { channelId, channelLine, ID_HELP, idCommand, oneLine } from "./channel";
import { DATA_HELP, DATA_OPTIONS, withData } from "./open";

export const channelTest: Command = {
  name: "channel test",
  summary:
    "Send one minimal call to a channel from this process and print the result: status and latency, or the cause (connection refused, TLS, timeout, DNS, the upstream's error). A pass re-enables a channel disabled automatically. Exit 1 when it fails.",
  usage: "--id N [--model M] [--data-dir DIR]",
  options: { id: { type: "string" }, model: { type: "string" }, ...DATA_OPTIONS },
  flagNames: { id: "--id", model: "--model" },
  help: [ID_HELP, "  --model M         the model to ask for (default: the channel's first)", DATA_HELP],
  async run(flags) {
    const id = channelId(flags);
    return withData(flags, async (ctx) => {
      configureResolver({ pins: ctx.config.resolve });
      const r = await probeChannel(ctx, id, { model: flags.model });
      const result = r.ok
        ? `ok: ${r.status} in ${r.latency_ms} ms (model ${r.model})`
        : `failed${r.status ? ` (${r.status})` : ""}: ${r.message} (model ${r.model})`;
      console.log(oneLine(result));
      if (r.re_enabled) console.log("the channel was disabled automatically and is enabled again");
      console.log(channelLine(await getChannel(ctx, id)));
      return r.ok ? 0 : 1;
    });
  },
};

export const channelBalance = idCommand(
  "balance",
  "Read a channel's upstream balance now and apply its threshold (below it the channel leaves rotation; at or above it comes back). Prints the balance, then the channel's line. Exit 1 when it could not be read.",
  async (ctx, id) => {
    configureResolver({ pins: ctx.config.resolve });
    await refreshBalance(ctx, id);
    const c = await getChannel(ctx, id);
    const b = c.balance;
    const failed = b.error && b.error_at >= b.at;
    console.log(
      oneLine(
        failed
          ? `failed: ${b.error}`
          : `${b.amount} ${b.currency}${b.low ? ` (below the threshold ${c.balance_threshold}: out of rotation)` : ""}`,
      ),
    );
    console.log(channelLine(c));
    return failed ? 1 : 0;
  },
);
