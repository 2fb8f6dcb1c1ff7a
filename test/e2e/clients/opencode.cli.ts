// The real opencode CLI (`opencode run`, pinned by install.sh) against apiyi's /v1/chat/completions, offline,
// through an openai chat channel (the mock as the only upstream): opencode.json names apiyi as a provider
// on its bundled @ai-sdk/openai-compatible package, and opencode makes two streamed calls, a title call on
// its small model and the main call. Run by test/e2e/clients/run.sh, not by the plain `bun test`.
import { describe, expect, test } from "bun:test";
import { cliBin, headersFree, runCli, upstreamKey, useGateway } from "./harness";

const MODEL = "gpt-5.5";
/** opencode.json's small_model: what the title call asks for (without it, the main model). */
const SMALL = "gpt-5-mini";
const PROMPT = "say pong";

const gw = useGateway({ chat: { type: "openai", models: [MODEL, SMALL] } });

/** The provider the project's opencode.json declares: the gateway's /v1 and the client's sk- key. */
const config = (baseURL: string, apiKey: string) =>
  JSON.stringify({
    provider: {
      apiyi: {
        npm: "@ai-sdk/openai-compatible",
        name: "apiyi",
        options: { baseURL, apiKey },
        models: { [MODEL]: {}, [SMALL]: {} },
      },
    },
    small_model: `apiyi/${SMALL}`,
  });

/** Each config dir gets an npm install of @opencode-ai/plugin in the background (registry.npmjs.org)
 * unless its package-lock.json already lists it and node_modules/ exists; this makes the run offline. */
const PLUGIN_DEPS_DONE = {
  ".config/opencode/package-lock.json": JSON.stringify({
    packages: { "": { dependencies: { "@opencode-ai/plugin": "1.18.33" } } },
  }),
  ".config/opencode/node_modules/.keep": "",
};

async function opencode() {
  const home = await gw.home({ "work/opencode.json": config(`${gw.url}/v1`, gw.key("chat")), ...PLUGIN_DEPS_DONE });
  return runCli(cliBin("opencode"), ["run", "--model", `apiyi/${MODEL}`, PROMPT], home, {
    XDG_CONFIG_HOME: `${home}/.config`,
    XDG_DATA_HOME: `${home}/.local/share`,
    XDG_CACHE_HOME: `${home}/.cache`,
    XDG_STATE_HOME: `${home}/.local/state`,
    // no update check, models.dev fetch, LSP download, sharing or built-in (auth) plugins
    OPENCODE_DISABLE_AUTOUPDATE: "1",
    OPENCODE_DISABLE_MODELS_FETCH: "1",
    OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
    OPENCODE_DISABLE_SHARE: "1",
    OPENCODE_DISABLE_DEFAULT_PLUGINS: "1",
  });
}

describe("opencode run", () => {
  test("prints the mock's reply; the upstream gets a streamed title call on the small model, then the main call", async () => {
    const { calls, routes } = await gw.expectRun(opencode);
    expect(routes).toEqual(["POST /v1/chat/completions", "POST /v1/chat/completions"]);
    expect(calls.map((c) => c.model)).toEqual([SMALL, MODEL]);
    for (const up of calls) {
      expect(up.body).toMatchObject({ stream: true, stream_options: { include_usage: true }, max_tokens: 32000 });
      expect(up.headers.authorization).toBe(`Bearer ${upstreamKey("chat")}`);
      expect(headersFree(up, gw.key("chat"))).toBe(true);
    }
    // the title call: the small model, a title-generator system prompt, no tools, no reasoning effort
    const [title, main] = calls;
    expect(title.body.tools).toBeUndefined();
    expect(title.body.reasoning_effort).toBeUndefined();
    expect(title.body.messages[0]).toMatchObject({ role: "system" });
    expect(title.body.messages[0].content).toContain("title generator");
    // the main call: the chosen model, opencode's system prompt (its Codex-style one for gpt-5 ids, which
    // also get reasoning_effort and apply_patch instead of edit/write), the prompt, its function tools
    expect(main.body.reasoning_effort).toBe("medium");
    expect(main.body.messages[0].role).toBe("system");
    expect(main.body.messages[0].content).toMatch(/^You are OpenCode/i);
    expect(main.body.messages[0].content).toContain(`apiyi/${MODEL}`);
    expect(JSON.stringify(main.body.messages.filter((m: { role: string }) => m.role === "user"))).toContain(PROMPT);
    expect(main.body.tool_choice).toBe("auto");
    const tools = main.body.tools.map(
      (t: { type: string; function: { name: string } }) => `${t.type}:${t.function.name}`,
    );
    expect(tools).toEqual(
      expect.arrayContaining(["function:apply_patch", "function:bash", "function:read", "function:task"]),
    );
  });
});
