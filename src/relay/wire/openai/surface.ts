// OpenAI's error shape, {"error":{message,type,param,code}}, for replies and for a cut stream.
import { openaiRateHeaders, sseEvent, type Surface } from "../surface";

export const openaiSurface: Surface = {
  name: "openai",
  error: (e) => ({
    status: e.status,
    body: { error: { message: e.message, type: e.type, param: e.param, code: e.code } },
  }),
  streamError: (message, code) => sseEvent({ error: { message, type: "server_error", param: null, code } }),
  rateHeaders: openaiRateHeaders,
};
