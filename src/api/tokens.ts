// /api/token/*: the token API, compatible with API易/new-api's documented one.
import { z } from "zod";
import { PageQuery, readPage } from "../services/paging";
import { TokenCreate, TokenStatusUpdate, TokenUpdate } from "../services/token-schema";
import {
  createToken,
  deleteToken,
  getToken,
  listTokens,
  revealKey,
  setTokenStatus,
  updateToken,
} from "../services/tokens";
import { idParam, type routeTable } from "./route";

const SearchQuery = PageQuery.extend({ keyword: z.string().optional() });
const UpdateQuery = z.object({ status_only: z.string().optional() });

export function tokenRoutes({ add }: ReturnType<typeof routeTable>) {
  const tag = "tokens";
  add(
    {
      method: "POST",
      path: "/api/token/",
      summary: "Create a token; data.key is the full key",
      tag,
      access: "user",
      body: TokenCreate,
      creates: true,
    },
    async ({ ctx, actor, body }) => {
      const { token, key } = await createToken(ctx, actor, body);
      return { ...token, key };
    },
  );
  add(
    {
      method: "GET",
      path: "/api/token/",
      summary: "List your tokens (admins: every token), keys masked",
      tag,
      access: "user",
      query: SearchQuery,
    },
    ({ ctx, actor, query }) => listTokens(ctx, actor, readPage(query), query.keyword),
  );
  add(
    {
      method: "GET",
      path: "/api/token/search",
      summary: "Search tokens by name",
      tag,
      access: "user",
      query: SearchQuery,
    },
    ({ ctx, actor, query }) => listTokens(ctx, actor, readPage(query), query.keyword ?? ""),
  );
  add(
    { method: "GET", path: "/api/token/:id", summary: "Get one token", tag, access: "user" },
    ({ ctx, actor, params }) => getToken(ctx, actor, idParam(params)),
  );
  add(
    {
      method: "PUT",
      path: "/api/token/",
      summary: "Update a token (fields left out keep their values); ?status_only=true takes {id, status}",
      tag,
      access: "user",
      body: TokenUpdate.or(TokenStatusUpdate),
      query: UpdateQuery,
    },
    ({ ctx, actor, body, query }) =>
      query.status_only === "true" || query.status_only === "1"
        ? setTokenStatus(ctx, actor, body)
        : updateToken(ctx, actor, body),
  );
  add(
    { method: "DELETE", path: "/api/token/:id", summary: "Delete a token", tag, access: "user" },
    ({ ctx, actor, params }) => deleteToken(ctx, actor, idParam(params)),
  );
  add(
    { method: "POST", path: "/api/token/:id/key", summary: "The full key, to its owner only", tag, access: "user" },
    ({ ctx, actor, params }) => revealKey(ctx, actor, idParam(params)),
  );
}
