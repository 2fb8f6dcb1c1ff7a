// Responses clients read errors in OpenAI's shape, and a cut stream as `response.failed` (what Codex
// and the SDK's stream helper act on) with a failed response; its id is new, as the upstream's may
// not be known.
import { openaiSurface } from "../openai/surface";
import { sseEvent, type Surface } from "../surface";

export const responsesSurface: Surface = {
  ...openaiSurface,
  streamError: (message, code) =>
    sseEvent(
      {
        type: "response.failed",
        response: {
          id: `resp_${crypto.randomUUID().replaceAll("-", "")}`,
          object: "response",
          status: "failed",
          error: { code, message },
          incomplete_details: null,
          output: [],
        },
      },
      "response.failed",
    ),
};
