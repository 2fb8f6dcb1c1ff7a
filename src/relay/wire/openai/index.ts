// OpenAI's wire format (chat completions and the other /v1 endpoints) and the "openai" upstream type.
import type { Wire } from "../contract";
import { chat } from "./codec";
import { openai as provider } from "./provider";
import { openaiSurface } from "./surface";
import { openaiUsage } from "./usage";

const CREATED = 1_700_000_000;
const one = (id: string) => ({ id, object: "model", created: CREATED, owned_by: "apiyi" });

export const openai: Wire = {
  name: "openai",
  endpoints: ["chat", "completions", "embeddings", "images", "image_edits", "speech", "transcriptions"],
  codecs: { chat },
  surface: openaiSurface,
  usage: openaiUsage,
  models: { one, list: (ids) => ({ object: "list", data: ids.map(one) }) },
  provider,
};
