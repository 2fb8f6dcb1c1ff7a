// The provider registry: upstream type → provider. Adding a type is adding its folder and one line.
import { openai } from "./openai";
import type { Provider } from "./types";

export const PROVIDERS: Record<string, Provider> = { openai };

export const providerFor = (type: string): Provider | undefined => PROVIDERS[type];
