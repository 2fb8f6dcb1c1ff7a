// Groups: a name, a description, a price multiplier and whether users may pick it for their tokens.
import { RateLimitPatch, rateLimitColumns, rateLimitView } from "./rate-limit-schema";
import { z } from "zod";
import { formatMicros, microsToNumber, parseMicros } from "../core/money";
import { USER_ROLE } from "../core/status";
import type { GroupRow } from "../db/schema";
import { conflict, keyed, notFound } from "../errors";
import type { Ctx } from "./context";
import type { Actor } from "./actor";
import { validate } from "./validate";

const multiplier = z
  .union([z.number(), z.string()])
  .transform((v, c) => {
    try {
      return parseMicros(v);
    } catch (e) {
      c.addIssue({ code: "custom", message: (e as Error).message });
      return z.NEVER;
    }
  })
  .refine((m) => m <= 1000 * 1_000_000, "must be at most 1000");

const description = z.string().max(500);
const selectable = z.boolean();

export const GroupCreate = z.object({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "1–64 letters, digits, _ . - (starting with a letter or digit)"),
  description: description.default(""),
  multiplier: multiplier.default(1_000_000).describe("decimal, up to 6 places: 0.95, 1, 1.4"),
  selectable: selectable.default(true),
  ...RateLimitPatch.shape,
});
/** No defaults here: a field left out keeps its value (zod's .partial() would still apply defaults). */
export const GroupUpdate = z.object({
  description: description.optional(),
  multiplier: multiplier.optional(),
  selectable: selectable.optional(),
  ...RateLimitPatch.shape,
});

export const groupView = (g: GroupRow) => ({
  name: g.name,
  description: g.description,
  multiplier: microsToNumber(g.multiplierMicros),
  multiplier_text: formatMicros(g.multiplierMicros),
  selectable: g.selectable,
  ...rateLimitView(g),
  created_at: g.createdAt,
});

/** Admins see every group; users see the ones they may pick (and always "default"). */
export async function listGroups(ctx: Ctx, actor: Actor) {
  const rows = await ctx.store.groups.all();
  const items = (actor.role === USER_ROLE.admin ? rows : rows.filter((g) => g.selectable || g.name === "default")).map(
    groupView,
  );
  return { items, total: items.length, page: 1, page_size: items.length };
}

export async function createGroup(ctx: Ctx, input: unknown) {
  const g = validate(GroupCreate, input);
  const row = await ctx.tx(async () => {
    if (await ctx.store.groups.get(g.name)) throw conflict(keyed("error.group.exists", { group: g.name }));
    return ctx.store.groups.insert({
      name: g.name,
      description: g.description,
      multiplierMicros: g.multiplier,
      selectable: g.selectable,
      ...rateLimitColumns(g),
    });
  });
  await ctx.snapshot.reloadGroups();
  return groupView(row);
}

export async function updateGroup(ctx: Ctx, name: string, input: unknown) {
  const g = validate(GroupUpdate, input);
  const row = await ctx.store.groups.update(name, {
    description: g.description,
    multiplierMicros: g.multiplier,
    selectable: g.selectable,
    ...rateLimitColumns(g),
  });
  if (!row) throw notFound(keyed("error.group.notFound", { group: name }));
  await ctx.snapshot.reloadGroups();
  return groupView(row);
}

export async function deleteGroup(ctx: Ctx, name: string) {
  if (name === "default") throw conflict(keyed("error.group.keepDefault"));
  await ctx.tx(async () => {
    if (!(await ctx.store.groups.get(name))) throw notFound(keyed("error.group.notFound", { group: name }));
    const use = await ctx.store.groups.usage(name);
    if (use.tokens || use.channels) {
      throw conflict(keyed("error.group.inUse", { group: name, tokens: use.tokens, channels: use.channels }));
    }
    await ctx.store.groups.delete(name);
  });
  await ctx.snapshot.reloadGroups();
}
