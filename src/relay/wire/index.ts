// The one list of wire folders, and what the relay looks up in it: the provider of an upstream type,
// and the format (codec, surface, usage reader, model list) an endpoint speaks. Adding a format or an
// upstream type is adding its folder and one entry in WIRES.
import { anthropic } from "./anthropic";
import { azure } from "./azure";
import type { Codec } from "./codec";
import type { Endpoint, Provider, Wire } from "./contract";
import { dashscope } from "./dashscope";
import { gemini } from "./gemini";
import { openai } from "./openai";
import { responses } from "./responses";
import type { Surface } from "./surface";
import type { UsageReader } from "./usage";

export const WIRES: readonly Wire[] = [openai, responses, anthropic, gemini, azure, dashscope];

/** upstream type → provider */
export const PROVIDERS: Record<string, Provider> = Object.fromEntries(
  WIRES.flatMap((w) => (w.provider ? [[w.provider.type, w.provider]] : [])),
);

export const providerFor = (type: string): Provider | undefined => PROVIDERS[type];

const BY_ENDPOINT = new Map<Endpoint, Wire>(WIRES.flatMap((w) => (w.endpoints ?? []).map((e) => [e, w] as const)));

/** The format an endpoint speaks (OpenAI's unless a folder claims it). */
export const wireOf = (endpoint: Endpoint): Wire => BY_ENDPOINT.get(endpoint) ?? openai;

/** The codec of each endpoint that pivots through chat. */
export const CODECS: Partial<Record<Endpoint, Codec>> = Object.assign({}, ...WIRES.map((w) => w.codecs ?? {}));

/** How an endpoint's replies report usage. */
export const usageOf = (endpoint: Endpoint): UsageReader => wireOf(endpoint).usage ?? openai.usage!;

/** How an endpoint's clients expect errors. */
export const surfaceOf = (endpoint: Endpoint): Surface => wireOf(endpoint).surface ?? openai.surface!;

/** A format's model list, by its folder's name ("openai", "anthropic", "gemini"). */
export const wireNamed = (name: string): Wire => WIRES.find((w) => w.name === name) ?? openai;
