// The provider registry: upstream type → provider. Adding a type is adding its folder and one line.
import { anthropic } from "./anthropic/provider";
import { azure } from "./azure/provider";
import { gemini } from "./gemini/provider";
import { openai } from "./openai/provider";
import type { Provider } from "./contract";

export const PROVIDERS: Record<string, Provider> = { openai, anthropic, gemini, azure };

export const providerFor = (type: string): Provider | undefined => PROVIDERS[type];
