// Anthropic's Messages format (/v1/messages, count_tokens) and the "anthropic" upstream type.
import type { Wire } from "../contract";
import { anthropic as codec } from "./codec";
import { anthropic as provider } from "./provider";
import { anthropicSurface } from "./surface";
import { anthropicUsage } from "./usage";

const one = (id: string) => ({
  type: "model",
  id,
  display_name: id,
  created_at: new Date(1_700_000_000_000).toISOString(),
});

export const anthropic: Wire = {
  name: "anthropic",
  endpoints: ["messages", "count_tokens"],
  codecs: { messages: codec },
  surface: anthropicSurface,
  usage: anthropicUsage,
  models: {
    one,
    list: (ids) => ({ data: ids.map(one), has_more: false, first_id: ids[0] ?? null, last_id: ids.at(-1) ?? null }),
  },
  provider,
};
