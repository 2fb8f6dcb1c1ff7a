// /api/channel/*: upstream channels, admins only, with new-api's paths and payloads. Replies never
// carry an upstream key. The channel test sends one minimal call through the relay's provider; the
// balance route reads the upstream's balance now.
import { z } from "zod";
import { ChannelCreate, ChannelStatusUpdate, ChannelUpdate } from "../services/channel-schema";
import {
  createChannel,
  deleteChannel,
  getChannel,
  listChannels,
  setChannelStatus,
  updateChannel,
} from "../services/channels";
import { ProbeInput, probeChannel } from "../relay/attempt/probe";
import { PageQuery, readPage } from "../services/paging";
import { refreshBalance, type LowBalanceAlert } from "../services/upstream-balance";
import { idParam, type routeTable } from "./route";

const yes = (v: string | undefined) => v === "true" || v === "1";
const ListQuery = PageQuery.extend({
  keyword: z.string().optional().describe("part of the name"),
  id_sort: z.string().optional().describe("true: ascending id (default: newest first)"),
});
const UpdateQuery = z.object({ status_only: z.string().optional() });

/** `onLow`: the admin alert a reading below a channel's threshold raises (the server's alert queue). */
export function channelRoutes({ add }: ReturnType<typeof routeTable>, onLow?: LowBalanceAlert) {
  const tag = "channels";
  add(
    {
      method: "GET",
      path: "/api/channel/",
      summary: "List channels (no keys: key_count and per-key states)",
      tag,
      access: "admin",
      query: ListQuery,
    },
    ({ ctx, query }) => listChannels(ctx, readPage(query), query.keyword, yes(query.id_sort) ? "id" : "newest"),
  );
  add(
    { method: "GET", path: "/api/channel/:id", summary: "Get one channel (no keys)", tag, access: "admin" },
    ({ ctx, params }) => getChannel(ctx, idParam(params)),
  );
  add(
    {
      method: "POST",
      path: "/api/channel/",
      summary:
        "Create a channel (type openai, anthropic, gemini or azure; azure needs api_version; max_output_tokens lowers larger max_tokens asks, 0 = no cap); its keys are never shown again. The reply's warnings name models without a price and an endpoint path cut off base_url; link-local and cloud-metadata base URLs are refused",
      tag,
      access: "admin",
      body: ChannelCreate,
      creates: true,
    },
    ({ ctx, body }) => createChannel(ctx, body),
  );
  add(
    {
      method: "PUT",
      path: "/api/channel/",
      summary:
        "Update a channel (fields left out keep their values; no key keeps the keys; new keys clear the failure state and re-enable a channel disabled automatically); ?status_only=true takes {id, status}",
      tag,
      access: "admin",
      body: ChannelUpdate.or(ChannelStatusUpdate),
      query: UpdateQuery,
    },
    ({ ctx, body, query }) => (yes(query.status_only) ? setChannelStatus(ctx, body) : updateChannel(ctx, body)),
  );
  add(
    { method: "DELETE", path: "/api/channel/:id", summary: "Delete a channel", tag, access: "admin" },
    ({ ctx, params }) => deleteChannel(ctx, idParam(params)),
  );
  add(
    {
      method: "POST",
      path: "/api/channel/:id/test",
      summary:
        "Send one minimal call to the channel in its own wire format: {ok, status, latency_ms, model, message, failure?, re_enabled}; a failure's message is its cause; a pass re-enables a channel disabled automatically",
      tag,
      access: "admin",
      body: ProbeInput,
    },
    ({ ctx, params, body }) => probeChannel(ctx, idParam(params), body),
  );
  add(
    {
      method: "POST",
      path: "/api/channel/:id/balance",
      summary:
        "Read the upstream balance now (balance_source: auto by host, oneapi, openrouter, deepseek, siliconflow, moonshot; 400 when the channel has none) and apply balance_threshold; replies with the channel, whose `balance` has the reading or the cause of a failed read",
      tag,
      access: "admin",
    },
    async ({ ctx, params }) => {
      const id = idParam(params);
      await refreshBalance(ctx, id, onLow);
      return getChannel(ctx, id);
    },
  );
}
