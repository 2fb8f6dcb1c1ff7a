// Google's Gemini generateContent format (/v1beta/models/…) and the "gemini" upstream type.
import type { Wire } from "../contract";
import { gemini as codec } from "./codec";
import { gemini as provider } from "./provider";
import { geminiSurface } from "./surface";
import { geminiUsage } from "./usage";

const one = (id: string) => ({
  name: `models/${id}`,
  displayName: id,
  supportedGenerationMethods: ["generateContent", "streamGenerateContent", "countTokens"],
});

export const gemini: Wire = {
  name: "gemini",
  endpoints: ["gemini", "gemini_count"],
  codecs: { gemini: codec },
  surface: geminiSurface,
  usage: geminiUsage,
  models: { one, list: (ids) => ({ models: ids.map(one) }) },
  provider,
};
