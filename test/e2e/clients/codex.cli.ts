// The real Codex CLI (`codex exec`, pinned by install.sh) against apiyi's /v1/responses, offline, through
// an openai channel with supports_responses (the mock as the only upstream): with the classic request
// (gpt-5.5: a `tools` list with custom and tool_search tools) and with Codex's default model, whose
// "responses lite" request carries its tools as an `additional_tools` input item instead. Run by
// test/e2e/clients/run.sh, not by the plain `bun test` (no .test in the name).
import { describe, expect, test } from "bun:test";
import { cliBin, headersFree, runCli, upstreamKey, useGateway } from "./harness";

/** gpt-6.1-sol is Codex 0.169.0's default model; gpt-5.5 one it still sends the classic request for. */
const DEFAULT_MODEL = "gpt-6.1-sol";
const CLASSIC_MODEL = "gpt-5.5";

const gw = useGateway({
  responses: { type: "openai", models: [DEFAULT_MODEL, CLASSIC_MODEL], supports_responses: true },
});

/** config.toml: the gateway as the provider, retries off (a failure shows at once), and the vendor's
 * analytics, update check and plugin/app sync off (they would look up chatgpt.com and api.github.com). */
const config = (baseUrl: string, model: string) => `model = "${model}"
model_provider = "apiyi"
check_for_update_on_startup = false

[analytics]
enabled = false

[features]
plugins = false
remote_plugin = false
apps = false

[model_providers.apiyi]
name = "apiyi"
base_url = "${baseUrl}/v1"
env_key = "APIYI_API_KEY"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
`;

async function codex(model: string) {
  const home = await gw.home({ "codex/config.toml": config(gw.url, model) });
  return runCli(cliBin("codex"), ["exec", "--skip-git-repo-check", "say pong"], home, {
    CODEX_HOME: `${home}/codex`,
    APIYI_API_KEY: gw.key("responses"),
  });
}

/** A run of codex on `model`, and its one upstream call: a streamed, stateless POST /v1/responses with
 * the channel's key. */
async function expectResponsesCall(model: string) {
  const { calls, routes } = await gw.expectRun(() => codex(model));
  expect(routes).toEqual(["POST /v1/responses"]);
  const up = calls[0];
  expect(up.body).toMatchObject({ model, stream: true, store: false, include: ["reasoning.encrypted_content"] });
  expect(typeof up.body.prompt_cache_key).toBe("string");
  expect(up.body.instructions).toBeUndefined();
  expect(up.body.input.some((i: { role?: string }) => i.role === "developer")).toBe(true);
  expect(JSON.stringify(up.body.input)).toContain("say pong");
  expect(up.headers.authorization).toBe(`Bearer ${upstreamKey("responses")}`);
  expect(headersFree(up, gw.key("responses"))).toBe(true);
  return up;
}

describe("codex exec", () => {
  test("classic request (gpt-5.5): prints the mock's reply; custom and tool_search tools reach the upstream", async () => {
    const up = await expectResponsesCall(CLASSIC_MODEL);
    const types = up.body.tools.map((t: { type: string }) => t.type);
    expect(types).toContain("function");
    expect(types).toContain("custom");
    expect(types).toContain("tool_search");
  });

  test("default model (responses lite): prints the mock's reply; the additional_tools input item reaches the upstream", async () => {
    const up = await expectResponsesCall(DEFAULT_MODEL);
    expect(up.body.tools).toBeUndefined();
    const extra = up.body.input.find((i: { type?: string }) => i.type === "additional_tools");
    expect(extra?.tools?.map((t: { type: string }) => t.type)).toContain("namespace");
    expect(up.body.reasoning).toMatchObject({ context: "all_turns" });
  });
});
