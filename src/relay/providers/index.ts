// The provider registry: upstream type → provider. Adding a type is adding its folder and one line.
import { anthropic } from "./anthropic";
import { azure } from "./azure";
import { gemini } from "./gemini";
import { openai } from "./openai";
import type { Provider } from "./types";

export const PROVIDERS: Record<string, Provider> = { openai, anthropic, gemini, azure };

export const providerFor = (type: string): Provider | undefined => PROVIDERS[type];
