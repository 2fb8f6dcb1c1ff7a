// The translation matrix: every inbound format (OpenAI chat, Anthropic Messages, OpenAI Responses,
// Gemini), each through its official SDK, against every upstream type (openai, anthropic, gemini,
// azure, openai speaking Responses) on the mock: text, a tool call, reasoning, streamed and not. Each call
// must show the mock's text or tool call and its usage to the client, and leave a log row with
// the same token counts; reasoning shows as the client's format has it.
import { afterEach, beforeAll, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { callCount, callIn, INBOUND, logRows, modelOf, setupFormats, TOOL, UPSTREAMS } from "../../support/formats";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { useServer } from "../../support/server";

setDefaultTimeout(20_000);

const REPLY = "Hello from the mock upstream!";
const app = useServer();
let mock: MockUpstream;
let env: Awaited<ReturnType<typeof setupFormats>>;
let logged = 0;

beforeAll(async () => {
  mock = startMockUpstream({ promptTokens: 10, completionTokens: 5 });
  env = await setupFormats(app.url, mock);
});

afterEach(() => mock.set({ tool: undefined, reasoning: undefined }));

/** Every call leaves one row: counted before the call, so a test that fails after its call does not
 * shift the next test's row. */
beforeEach(() => void logged++);

/** The newest log row, once this test's call has been written. */
async function newestRow() {
  const rows = await logRows(env.user.api, logged);
  expect(await callCount(env.user.api)).toBe(logged);
  return rows[0];
}

for (const inbound of INBOUND) {
  describe(`${inbound} clients`, () => {
    for (const upstream of UPSTREAMS) {
      for (const stream of [false, true]) {
        const how = stream ? "stream" : "non-stream";
        test(`→ ${upstream} upstream, ${how}: text and usage`, async () => {
          const out = await callIn(inbound, app.url, env.key, modelOf(upstream), { stream });
          expect(out.text).toBe(REPLY);
          expect(out.tools).toEqual([]);
          expect({ prompt: out.prompt, completion: out.completion }).toEqual({ prompt: 10, completion: 5 });
          const row = await newestRow();
          expect(row).toMatchObject({
            model_name: modelOf(upstream),
            channel_id: env.channelIds[upstream],
            prompt_tokens: 10,
            completion_tokens: 5,
            status_code: 200,
            is_stream: stream,
          });
          expect(row.quota).toBe(Math.ceil((10 * 1 + 5 * 2) / 2));
        });

        test(`→ ${upstream} upstream, ${how}: a tool call`, async () => {
          mock.set({ tool: TOOL });
          const out = await callIn(inbound, app.url, env.key, modelOf(upstream), { stream, tool: true });
          expect(out.tools).toEqual([{ name: TOOL.name, args: TOOL.arguments }]);
          expect(out.completion).toBe(5);
          const row = await newestRow();
          expect(row).toMatchObject({ model_name: modelOf(upstream), prompt_tokens: 10, completion_tokens: 5 });
        });

        test(`→ ${upstream} upstream, ${how}: reasoning, then the answer`, async () => {
          mock.set({ reasoning: "Thinking it over." });
          const out = await callIn(inbound, app.url, env.key, modelOf(upstream), { stream });
          expect(out.reasoning).toBe("Thinking it over.");
          expect(out.text).toBe(REPLY);
          await newestRow();
        });
      }
    }
  });
}

test("each upstream got requests in its own wire format", () => {
  const paths = new Set(mock.requests.map((r) => r.path.replace(/models\/[^/]+$/, "models/{model}")));
  expect([...paths].sort()).toEqual(
    [
      "/openai/deployments/m-azure/chat/completions",
      "/v1/chat/completions",
      "/v1/messages",
      "/v1/responses",
      "/v1beta/models/{model}",
    ].sort(),
  );
});
