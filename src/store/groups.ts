// Groups (resource channels with a price multiplier): the only code that touches the groups table.
import { count, eq, or, sql } from "drizzle-orm";
import type { Db } from "../db/open";
import { channels, groups, tokens, type GroupRow } from "../db/schema";
import { patchRow } from "./sql-helpers";

export type GroupPatch = Partial<Pick<GroupRow, "description" | "multiplierMicros" | "selectable">>;

export const groupStore = (db: Db) => ({
  all: () => db.select().from(groups).orderBy(groups.name).all(),
  get: (name: string) => db.select().from(groups).where(eq(groups.name, name)).get(),
  insert: (row: typeof groups.$inferInsert) => db.insert(groups).values(row).returning().get(),
  /** inserts the group unless one has its name */
  ensure(row: typeof groups.$inferInsert) {
    db.insert(groups).values(row).onConflictDoNothing().run();
  },
  update: (name: string, patch: GroupPatch) => patchRow(db, groups, eq(groups.name, name), patch),
  delete(name: string) {
    db.delete(groups).where(eq(groups.name, name)).run();
  },

  /** How many tokens (as default or fallback group) and channels still name this group. */
  usage(name: string) {
    const inList = (column: typeof tokens.fallbackGroups | typeof channels.groups) =>
      sql`EXISTS (SELECT 1 FROM json_each(${column}) WHERE value = ${name})`;
    const tokenCount = db
      .select({ n: count() })
      .from(tokens)
      .where(or(eq(tokens.group, name), inList(tokens.fallbackGroups)))
      .get()!.n;
    const channelCount = db.select({ n: count() }).from(channels).where(inList(channels.groups)).get()!.n;
    return { tokens: tokenCount, channels: channelCount };
  },
});
