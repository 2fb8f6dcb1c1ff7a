// The real Claude Code CLI (`claude -p`, pinned by install.sh) against apiyi, offline, the mock as the only
// upstream: through an anthropic channel (Messages passed on, anthropic-beta and all) and through an
// openai chat channel (Messages translated to chat completions and the stream back). Not part of the
// plain `bun test` run (the file name has no .test): test/e2e/clients/run.sh runs it.
import { describe, expect, test } from "bun:test";
import { cliBin, headersFree, headerValues, runCli, upstreamKey, useGateway } from "./harness";

/** What `claude -p` asks for when no model is chosen (Claude Code 2.1.197). */
const MODEL = "claude-opus-4-8";
const PROMPT = "say pong";

const gw = useGateway({
  anthropic: { type: "anthropic", models: [MODEL] },
  chat: { type: "openai", models: [MODEL] },
});

/** One `claude -p` run against the gateway with the key in `keyVar` (Bearer or x-api-key). */
async function claude(key: string, keyVar: "ANTHROPIC_AUTH_TOKEN" | "ANTHROPIC_API_KEY") {
  const home = await gw.home();
  return runCli(cliBin("claude"), ["-p", PROMPT], home, {
    ANTHROPIC_BASE_URL: gw.url,
    [keyVar]: key,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    CLAUDE_CODE_MAX_RETRIES: "0",
  });
}

describe("claude -p", () => {
  test("through an anthropic channel: prints the mock's reply; the upstream gets the Messages call as sent", async () => {
    const { calls, routes } = await gw.expectRun(() => claude(gw.key("anthropic"), "ANTHROPIC_AUTH_TOKEN"));
    expect(routes).toEqual(["POST /v1/messages"]);
    const up = calls[0];
    expect(up.body).toMatchObject({ model: MODEL, stream: true, max_tokens: 64000, thinking: { type: "adaptive" } });
    // Claude Code's own betas, version and system blocks reach Anthropic untouched
    expect(up.headers["anthropic-beta"] ?? "").toContain("claude-code-20250219");
    expect(up.headers["anthropic-version"]).toBe("2023-06-01");
    expect(Array.isArray(up.body.system)).toBe(true);
    expect(up.body.tools.length).toBeGreaterThan(10);
    expect(JSON.stringify(up.body.messages)).toContain(PROMPT);
    // the channel's key goes up, never the client's sk- key
    expect(headerValues(up)).toContain(upstreamKey("anthropic"));
    expect(headersFree(up, gw.key("anthropic"))).toBe(true);
  });

  test("through an openai chat channel: prints the mock's reply; the upstream gets a streamed chat completion", async () => {
    const { calls, routes } = await gw.expectRun(() => claude(gw.key("chat"), "ANTHROPIC_API_KEY"));
    expect(routes).toEqual(["POST /v1/chat/completions"]);
    const up = calls[0];
    expect(up.body).toMatchObject({ model: MODEL, stream: true });
    const messages: { role: string; content: unknown }[] = up.body.messages;
    // the system prompt (a block array plus a role "system" turn inside messages) becomes system text
    expect(messages[0].role).toMatch(/^(system|developer)$/);
    expect(JSON.stringify(messages.filter((m) => m.role === "user"))).toContain(PROMPT);
    // Claude Code's tools arrive as OpenAI function tools
    expect(up.body.tools.length).toBeGreaterThan(10);
    expect(up.body.tools.every((t: { type: string }) => t.type === "function")).toBe(true);
    expect(up.headers.authorization).toBe(`Bearer ${upstreamKey("chat")}`);
    expect(headersFree(up, gw.key("chat"))).toBe(true);
  });
});
