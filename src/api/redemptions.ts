// /api/redemption/*: redemption codes for admins, compatible with new-api's (POST answers data: [codes],
// the only time the full codes are given out); POST /api/user/topup redeems one for the caller, and
// GET /api/user/topup lists top-ups (codes, admin top-ups and adjustments) with the balance after each.
import { z } from "zod";
import { PageQuery, readPage } from "../services/paging";
import {
  createRedemptions,
  deleteInvalidRedemptions,
  deleteRedemption,
  getRedemption,
  listRedemptions,
  RedemptionCreate,
  RedemptionSearchQuery,
  RedemptionStatusUpdate,
  RedemptionUpdate,
  setRedemptionStatus,
  updateRedemption,
} from "../services/redemptions";
import { Redeem, redeem, topUpHistory } from "../services/topups";
import { validate } from "../services/validate";
import { idParam, type routeTable } from "./route";

const ListQuery = PageQuery.extend(RedemptionSearchQuery.shape);
const UpdateQuery = z.object({ status_only: z.string().optional() });
const HistoryQuery = PageQuery.extend({ user_id: z.coerce.number().int().positive().optional() });

export function redemptionRoutes({ add }: ReturnType<typeof routeTable>) {
  const tag = "redemptions";
  const list = (summary: string, path: string) =>
    add({ method: "GET", path, summary, tag, access: "admin", query: ListQuery }, ({ ctx, query }) =>
      listRedemptions(ctx, readPage(query), { keyword: query.keyword, status: query.status }),
    );
  list("List redemption codes, newest first (codes masked)", "/api/redemption/");
  list("Search codes: keyword (name prefix, id or full code), status (1, 2, 3, expired)", "/api/redemption/search");
  add(
    {
      method: "POST",
      path: "/api/redemption/",
      summary: "Make count codes of quota units each; data is the list of full codes, shown this once",
      tag,
      access: "admin",
      body: RedemptionCreate,
      creates: true,
    },
    async ({ ctx, actor, body }) => (await createRedemptions(ctx, actor, body)).codes,
  );
  add(
    {
      method: "PUT",
      path: "/api/redemption/",
      summary: "Edit a code's name, quota, expired_time or status; ?status_only=1 takes {id, status}",
      tag,
      access: "admin",
      body: RedemptionUpdate.or(RedemptionStatusUpdate),
      query: UpdateQuery,
    },
    ({ ctx, body, query }) =>
      query.status_only === "1" || query.status_only === "true"
        ? setRedemptionStatus(ctx, body)
        : updateRedemption(ctx, body),
  );
  add(
    {
      method: "DELETE",
      path: "/api/redemption/invalid",
      summary: "Delete used, disabled and expired codes; data is how many",
      tag,
      access: "admin",
    },
    ({ ctx }) => deleteInvalidRedemptions(ctx),
  );
  add(
    { method: "GET", path: "/api/redemption/:id", summary: "Get one code", tag, access: "admin" },
    ({ ctx, params }) => getRedemption(ctx, idParam(params)),
  );
  add(
    { method: "DELETE", path: "/api/redemption/:id", summary: "Delete a code", tag, access: "admin" },
    ({ ctx, params }) => deleteRedemption(ctx, idParam(params)),
  );

  add(
    {
      method: "POST",
      path: "/api/user/topup",
      summary: "Redeem a code: data is the quota units credited; every failure answers one message",
      tag,
      access: "user",
      body: Redeem,
    },
    async ({ ctx, actor, body, ip }) => (await redeem(ctx, actor, body, ip)).quota,
  );
  add(
    {
      method: "GET",
      path: "/api/user/topup",
      summary: "Your top-ups and adjustments with the balance after each (admins: everyone's, or user_id's)",
      tag,
      access: "user",
      query: HistoryQuery,
    },
    ({ ctx, actor, query }) => topUpHistory(ctx, actor, readPage(query), validate(HistoryQuery, query).user_id),
  );
}
