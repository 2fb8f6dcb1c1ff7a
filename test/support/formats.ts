// Test support for the wire-format tests: one channel of each upstream type on the mock (one model
// each), and one call in each inbound format through its official SDK, reduced to what the tests
// compare: text, tool calls and the usage the client was shown.
import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI } from "@google/genai";
import OpenAI from "openai";
import { LOG_TYPE } from "../../src/core/status";
import { expectReply } from "./expect";
import type { MockUpstream } from "./mock-upstream";
import { ADMIN_PASSWORD, client, login, makeUser, priceModels } from "./server";

export const INBOUND = ["chat", "messages", "responses", "gemini"] as const;
export type Inbound = (typeof INBOUND)[number];

/** Upstream kinds: a model of each name is served by one channel of that kind. */
export const UPSTREAMS = ["openai", "anthropic", "gemini", "azure", "openai-responses"] as const;
export type Upstream = (typeof UPSTREAMS)[number];
export const modelOf = (u: Upstream) => `m-${u}`;

export const TOOL = { name: "get_weather", arguments: { city: "Paris", unit: "c" } };

/** Channels of every kind on `mock`, prices for their models, a user with a token. */
export async function setupFormats(
  base: string,
  mock: MockUpstream,
  price: Record<string, unknown> = { input: "1", output: "2" },
) {
  const auth = await login(base, "admin", ADMIN_PASSWORD);
  const admin = client(base, auth);
  const channelIds: Record<string, number> = {};
  const channel = async (u: Upstream, body: Record<string, unknown>) => {
    const c = expectReply(
      await admin.post("/api/channel/", { name: u, key: `up-key-${u}-secret-0001`, models: [modelOf(u)], ...body }),
      201,
    );
    channelIds[u] = c.id;
  };
  await channel("openai", { type: "openai", base_url: mock.url });
  await channel("anthropic", { type: "anthropic", base_url: mock.url });
  await channel("gemini", { type: "gemini", base_url: mock.geminiUrl });
  await channel("azure", { type: "azure", base_url: mock.origin, api_version: "2024-10-21" });
  await channel("openai-responses", { type: "openai", base_url: mock.url, supports_responses: true });
  await priceModels(base, auth, UPSTREAMS.map(modelOf), price);
  const user = await makeUser(base, auth, `fmt${Math.random().toString(36).slice(2, 8)}`);
  expectReply(await admin.post(`/api/user/${user.id}/topup`, { quota: 100_000_000 }), 200);
  const token = expectReply(await user.api.post("/api/token/", { name: "formats", unlimited_quota: true }), 201);
  return { admin, auth, user, key: token.key as string, tokenId: token.id as number, channelIds };
}

export type Outcome = {
  text: string;
  tools: { name: string; args: unknown }[];
  prompt: number;
  completion: number;
  reasoning: string;
};

export type CallOpts = { stream?: boolean; tool?: boolean; prompt?: string };

const weatherSchema = {
  type: "object",
  properties: { city: { type: "string" }, unit: { type: "string" } },
  required: ["city"],
};

export function sdks(base: string, key: string) {
  return {
    openai: new OpenAI({ baseURL: `${base}/v1`, apiKey: key, maxRetries: 0 }),
    anthropic: new Anthropic({ baseURL: base, apiKey: key, maxRetries: 0 }),
    google: new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl: base } }),
  };
}

/** A streamed chat completion read chunk by chunk (the SDK's own accumulator drops reasoning_content). */
async function chatStream(openai: OpenAI, req: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming) {
  const message = { content: "", reasoning_content: "", tool_calls: [] as any[] };
  let usage: OpenAI.CompletionUsage | undefined;
  for await (const chunk of await openai.chat.completions.create({
    ...req,
    stream: true,
    stream_options: { include_usage: true },
  })) {
    usage = chunk.usage ?? usage;
    const d: any = chunk.choices[0]?.delta ?? {};
    message.content += d.content ?? "";
    message.reasoning_content += d.reasoning_content ?? "";
    for (const t of d.tool_calls ?? []) {
      const call = (message.tool_calls[t.index] ??= { function: { name: "", arguments: "" } });
      call.function.name += t.function?.name ?? "";
      call.function.arguments += t.function?.arguments ?? "";
    }
  }
  return { choices: [{ message }], usage };
}

/** One call in `inbound` format for `model`; the reply reduced to an Outcome. */
export async function callIn(
  inbound: Inbound,
  base: string,
  key: string,
  model: string,
  o: CallOpts = {},
): Promise<Outcome> {
  const c = sdks(base, key);
  const prompt = o.prompt ?? "What is the weather in Paris?";
  switch (inbound) {
    case "chat": {
      const tools = o.tool
        ? [{ type: "function" as const, function: { name: TOOL.name, parameters: weatherSchema } }]
        : undefined;
      const req = { model, messages: [{ role: "user" as const, content: prompt }], tools };
      const r = o.stream ? await chatStream(c.openai, req) : await c.openai.chat.completions.create(req);
      const m = r.choices[0].message;
      const tc = (m.tool_calls ?? []).map((t: any) => ({
        name: t.function.name,
        args: JSON.parse(t.function.arguments),
      }));
      const reasoning = (m as { reasoning_content?: string }).reasoning_content ?? "";
      return {
        text: m.content ?? "",
        tools: tc,
        prompt: r.usage?.prompt_tokens ?? -1,
        completion: r.usage?.completion_tokens ?? -1,
        reasoning,
      };
    }
    case "messages": {
      const tools = o.tool ? [{ name: TOOL.name, input_schema: weatherSchema as any }] : undefined;
      const req = { model, max_tokens: 256, messages: [{ role: "user" as const, content: prompt }], tools };
      const r = o.stream
        ? await c.anthropic.messages.stream(req).finalMessage()
        : await c.anthropic.messages.create(req);
      const text = r.content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join("");
      const tc = r.content.flatMap((b) => (b.type === "tool_use" ? [{ name: b.name, args: b.input }] : []));
      const reasoning = r.content.flatMap((b) => (b.type === "thinking" ? [b.thinking] : [])).join("");
      const u = r.usage;
      return {
        text,
        tools: tc,
        prompt: u.input_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0),
        completion: u.output_tokens,
        reasoning,
      };
    }
    case "responses": {
      const tools = o.tool
        ? [{ type: "function" as const, name: TOOL.name, parameters: weatherSchema, strict: false }]
        : undefined;
      const req = { model, input: prompt, tools };
      const r = o.stream ? await c.openai.responses.stream(req).finalResponse() : await c.openai.responses.create(req);
      const tc = r.output.flatMap((i: any) =>
        i.type === "function_call" ? [{ name: i.name, args: JSON.parse(i.arguments) }] : [],
      );
      const reasoning = r.output
        .flatMap((i: any) =>
          i.type === "reasoning" ? [...(i.summary ?? []), ...(i.content ?? [])].map((p: any) => p.text) : [],
        )
        .join("");
      return {
        text: r.output_text,
        tools: tc,
        prompt: r.usage?.input_tokens ?? -1,
        completion: r.usage?.output_tokens ?? -1,
        reasoning,
      };
    }
    case "gemini": {
      const config = o.tool
        ? { tools: [{ functionDeclarations: [{ name: TOOL.name, parametersJsonSchema: weatherSchema }] }] }
        : undefined;
      const req = { model, contents: prompt, config };
      const chunks = o.stream ? [] : [await c.google.models.generateContent(req)];
      if (o.stream) for await (const chunk of await c.google.models.generateContentStream(req)) chunks.push(chunk);
      const parts = chunks.flatMap((ch) => ch.candidates?.[0]?.content?.parts ?? []);
      const text = parts.flatMap((p) => (p.text && !p.thought ? [p.text] : [])).join("");
      const reasoning = parts.flatMap((p) => (p.text && p.thought ? [p.text] : [])).join("");
      const tc = parts.flatMap((p) =>
        p.functionCall ? [{ name: p.functionCall.name!, args: p.functionCall.args }] : [],
      );
      const u = chunks.findLast((ch) => ch.usageMetadata)?.usageMetadata;
      return {
        text,
        tools: tc,
        prompt: u?.promptTokenCount ?? -1,
        completion: (u?.candidatesTokenCount ?? 0) + (u?.thoughtsTokenCount ?? 0),
        reasoning,
      };
    }
  }
}

/** How many call log rows (consume and error) a user has. */
export async function callCount(api: ReturnType<typeof client>): Promise<number> {
  const total = async (type: number) =>
    expectReply(await api.get(`/api/log/self?type=${type}&pageSize=1`), 200).total as number;
  return (await total(2)) + (await total(5));
}

/** The latest call log rows of a user (consume and error, at most 100), newest first, once at least
 * `n` exist in all (rows are written in batches: polled for up to `timeoutMs`). */
export async function logRows(api: ReturnType<typeof client>, n: number, timeoutMs = 2000): Promise<any[]> {
  const until = Date.now() + timeoutMs;
  while ((await callCount(api)) < n && Date.now() < until) await Bun.sleep(30);
  const data = expectReply(await api.get("/api/log/self?pageSize=100"), 200);
  return (data.items as any[]).filter((r) => r.type === LOG_TYPE.consume || r.type === LOG_TYPE.error);
}
