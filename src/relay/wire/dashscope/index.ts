// The "dashscope" upstream type: Alibaba Cloud Model Studio's native API, running Wan video jobs
// (no wire format of its own for clients: they reach it through OpenAI's or Gemini's video shapes).
import type { Wire } from "../contract";
import { dashscope as provider } from "./provider";

export const dashscope: Wire = { name: "dashscope", provider };
