// Redemption codes, the admin side (new-api's /api/redemption/ fields): make a batch (the full codes
// are returned this once; the database keeps an HMAC and the last 4 characters), list and search,
// edit, enable/disable, delete, delete the invalid ones. A used code cannot be changed back.
import { z } from "zod";
import { CODE_PATTERN, maskCode, newRedemptionCode, normalizeCode } from "../core/redemption-codes";
import { REDEMPTION_STATUS } from "../core/status";
import { conflict, invalidField, keyed, notFound } from "../errors";
import type { RedemptionWithUser } from "../store/redemptions";
import type { Actor } from "./actor";
import type { Ctx } from "./context";
import type { Page } from "./paging";
import { validate } from "./validate";

export const MAX_CODES_PER_BATCH = 100;

const Name = z.string().trim().min(1, "1–20 characters").max(20, "1–20 characters");
const Quota = z
  .number()
  .int()
  .refine((q) => q > 0, "must be a positive number of quota units (500,000 = $1)")
  .refine((q) => q <= Number.MAX_SAFE_INTEGER / 2, "is too large");
const Expiry = z.number().int().min(0).describe("unix seconds, 0 = never");
const Status = z
  .union([z.literal(REDEMPTION_STATUS.enabled), z.literal(REDEMPTION_STATUS.disabled)])
  .describe("1 enabled, 2 disabled (3, used, is set only by a redemption)");

export const RedemptionCreate = z.object({
  name: Name,
  count: z
    .number()
    .int()
    .min(1, `1–${MAX_CODES_PER_BATCH}`)
    .max(MAX_CODES_PER_BATCH, `1–${MAX_CODES_PER_BATCH}`)
    .default(1),
  quota: Quota,
  expired_time: Expiry.default(0),
});
export const RedemptionUpdate = z.object({
  id: z.number().int().positive(),
  name: Name.optional(),
  quota: Quota.optional(),
  expired_time: Expiry.optional(),
  status: Status.optional(),
});
export const RedemptionStatusUpdate = z.object({ id: z.number().int().positive(), status: Status });
export const RedemptionSearchQuery = z.object({
  keyword: z.string().max(100).optional().describe("a name prefix, an id, or a full code"),
  status: z.enum(["1", "2", "3", "expired"]).optional().describe("1 enabled (unexpired), 2 disabled, 3 used, expired"),
});

export const redemptionView = (r: RedemptionWithUser) => ({
  id: r.id,
  user_id: r.userId,
  name: r.name,
  /** the mask (…a1b2): the full code is shown only when it is made */
  key: r.keyMask,
  status: r.status,
  quota: r.quota,
  created_time: r.createdTime,
  redeemed_time: r.redeemedTime,
  used_user_id: r.usedUserId,
  used_username: r.usedUsername,
  expired_time: r.expiredTime,
});
export type RedemptionView = ReturnType<typeof redemptionView>;

function checkExpiry(ctx: Ctx, expiredTime: number) {
  if (expiredTime !== 0 && expiredTime <= ctx.now()) throw invalidField("expired_time", keyed("error.code.expiry"));
}

/** Makes `count` codes in one transaction; returns them (the only time they exist in full). */
export async function createRedemptions(ctx: Ctx, actor: Actor, input: unknown) {
  const r = validate(RedemptionCreate, input);
  checkExpiry(ctx, r.expired_time);
  const codes = Array.from({ length: r.count }, newRedemptionCode);
  await ctx.tx(async () => {
    for (const code of codes)
      await ctx.store.redemptions.insert({
        userId: actor.id,
        name: r.name,
        keyHash: ctx.keys.hash(code),
        keyMask: maskCode(code),
        quota: r.quota,
        expiredTime: r.expired_time,
      });
  });
  return { codes, quota: r.quota, expired_time: r.expired_time };
}

/** A keyword that is a whole code is looked up by its hash (the code itself is not stored). */
export async function listRedemptions(ctx: Ctx, page: Page, query: unknown = {}) {
  const q = validate(RedemptionSearchQuery, query);
  const keyword = q.keyword?.trim() ?? "";
  const code = normalizeCode(keyword);
  const search = {
    keyword,
    id: /^\d{1,15}$/.test(keyword) ? Number(keyword) : undefined,
    keyHash: CODE_PATTERN.test(code) ? ctx.keys.hash(code) : undefined,
    status: q.status,
    now: ctx.now(),
  };
  const { items, total } = await ctx.store.redemptions.page(search, page.offset, page.size);
  return { items: items.map(redemptionView), total, page: page.p, page_size: page.size };
}

async function find(ctx: Ctx, id: number) {
  const row = await ctx.store.redemptions.byId(id);
  if (!row) throw notFound(keyed("error.code.notFound", { id }));
  return row;
}

export const getRedemption = async (ctx: Ctx, id: number) => redemptionView(await find(ctx, id));

export async function updateRedemption(ctx: Ctx, input: unknown) {
  const r = validate(RedemptionUpdate, input);
  const current = await find(ctx, r.id);
  const spendable = r.quota !== undefined || r.expired_time !== undefined || r.status !== undefined;
  const redeemed = () => conflict(keyed("error.code.redeemed", { id: r.id }));
  if (current.status === REDEMPTION_STATUS.used && spendable) throw redeemed();
  if (r.expired_time !== undefined && r.expired_time !== current.expiredTime) checkExpiry(ctx, r.expired_time);
  // the status test is repeated in the write's transaction: a redemption may have happened meanwhile
  await ctx.tx(async () => {
    if (spendable && (await ctx.store.redemptions.byId(r.id))?.status === REDEMPTION_STATUS.used) throw redeemed();
    await ctx.store.redemptions.update(r.id, {
      name: r.name,
      quota: r.quota,
      expiredTime: r.expired_time,
      status: r.status,
    });
  });
  return getRedemption(ctx, r.id);
}

export function setRedemptionStatus(ctx: Ctx, input: unknown) {
  const { id, status } = validate(RedemptionStatusUpdate, input);
  return updateRedemption(ctx, { id, status });
}

export async function deleteRedemption(ctx: Ctx, id: number) {
  if (!(await ctx.store.redemptions.delete(id))) throw notFound(keyed("error.code.notFound", { id }));
}

/** Deletes used, disabled and expired codes; how many went. */
export const deleteInvalidRedemptions = (ctx: Ctx) => ctx.store.redemptions.deleteInvalid(ctx.now());
