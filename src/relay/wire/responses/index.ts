// OpenAI's Responses format (/v1/responses), client side; its upstreams are "openai" channels that
// say they speak it (supports_responses).
import type { Wire } from "../contract";
import { responses as codec } from "./codec";
import { responsesSurface } from "./surface";
import { responsesUsage } from "./usage";

export const responses: Wire = {
  name: "responses",
  endpoints: ["responses"],
  codecs: { responses: codec },
  surface: responsesSurface,
  usage: responsesUsage,
};
