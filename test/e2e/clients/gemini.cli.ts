// The real Gemini CLI (`gemini -p`, pinned by install.sh) against apiyi's /v1beta surface, offline, through
// a gemini channel (the mock as the only upstream): with `-m` (one streamed call), and without it, when
// the CLI first asks a small model to rate the prompt (a JSON-schema generateContent call) and then
// streams from the model it picked. Run by test/e2e/clients/run.sh, not by the plain `bun test`.
import { describe, expect, test } from "bun:test";
import type { MockRequest } from "../../support/mock-upstream";
import { cliBin, headersFree, REPLY, runCli, upstreamKey, useGateway } from "./harness";

const MODEL = "gemini-2.5-flash";
/** Gemini CLI 0.61.0's router model, and where a low complexity score sends the prompt (its alias
 * gemini-3.5-flash is sent upstream as gemini-3.8-flash). */
const ROUTER = "gemini-3.5-flash-lite";
const ROUTED = "gemini-3.8-flash";
/** A router answer that fits its schema; a non-JSON one makes the CLI retry it for minutes. */
const ROUTE_ANSWER = JSON.stringify({ complexity_reasoning: "A one-word reply.", complexity_score: 5 });

const gw = useGateway({ gemini: { type: "gemini", models: [MODEL, ROUTER, ROUTED] } });

/** API-key auth chosen up front (else it exits 41), usage statistics off, one attempt per call. */
const SETTINGS = JSON.stringify({
  general: { maxAttempts: 1 },
  security: { auth: { selectedType: "gemini-api-key" } },
  privacy: { usageStatisticsEnabled: false },
});

async function gemini(args: string[]) {
  const home = await gw.home({ ".gemini/settings.json": SETTINGS });
  return runCli(cliBin("gemini"), ["-p", "say pong", ...args], home, {
    GOOGLE_GEMINI_BASE_URL: gw.url,
    GEMINI_API_KEY: gw.key("gemini"),
    GEMINI_CLI_TRUST_WORKSPACE: "true",
  });
}

/** A call the upstream got: the channel's key in x-goog-api-key, never the client's sk- key. */
function expectKeys(up: MockRequest) {
  expect(up.headers["x-goog-api-key"]).toBe(upstreamKey("gemini"));
  expect(headersFree(up, gw.key("gemini"))).toBe(true);
  return up;
}

describe("gemini -p", () => {
  test("with -m: prints the mock's reply from one streamGenerateContent call, body as the CLI sent it", async () => {
    const { calls, routes } = await gw.expectRun(() => gemini(["-m", MODEL]));
    expect(routes).toEqual([`POST /v1beta/models/${MODEL}:streamGenerateContent`]);
    const up = expectKeys(calls[0]);
    expect(up.body.systemInstruction.parts[0].text).toContain("Gemini CLI");
    expect(up.body.tools[0].functionDeclarations.length).toBeGreaterThan(3);
    expect(up.body.generationConfig.thinkingConfig).toMatchObject({ includeThoughts: true, thinkingBudget: 8192 });
    expect(JSON.stringify(up.body.contents)).toContain("say pong");
  });

  test("without -m: the routing call (JSON schema, not streamed), then a streamed call to the routed model", async () => {
    gw.mock.set({ reply: ROUTE_ANSWER });
    try {
      const { calls, routes } = await gw.expectRun(() => gemini([]), "complexity_score");
      expect(routes).toEqual([
        `POST /v1beta/models/${ROUTER}:generateContent`,
        `POST /v1beta/models/${ROUTED}:streamGenerateContent`,
      ]);
      const router = expectKeys(calls[0]);
      expect(router.body.generationConfig).toMatchObject({ responseMimeType: "application/json" });
      expect(Object.keys(router.body.generationConfig.responseJsonSchema.properties)).toEqual([
        "complexity_reasoning",
        "complexity_score",
      ]);
      expectKeys(calls[1]);
    } finally {
      gw.mock.set({ reply: REPLY });
    }
  });
});
