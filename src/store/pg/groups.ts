// Groups on PostgreSQL: the twin of store/groups.ts, answering what it answers.
import { count, eq, or, sql } from "drizzle-orm";
import { channels, groups, tokens } from "../../db/pg/schema";
import type { GroupPatch } from "../groups";
import type { Stores } from "../stores";
import type { PgTx } from "./pg-tx";
import { patchRow } from "./sql-helpers";

type NewGroup = typeof groups.$inferInsert;

export const pgGroupStore = (tx: PgTx) =>
  ({
    /** by name in byte order, as SQLite's BINARY collation sorts (the database's locale may not) */
    all: async () => tx.db().select().from(groups).orderBy(sql`${groups.name} COLLATE "C"`),
    get: async (name: string) => (await tx.db().select().from(groups).where(eq(groups.name, name)))[0],
    insert: async (row: NewGroup) => (await tx.db().insert(groups).values(row).returning())[0]!,
    /** inserts the group unless one has its name */
    async ensure(row: NewGroup) {
      await tx.db().insert(groups).values(row).onConflictDoNothing();
    },
    update: (name: string, patch: GroupPatch) => patchRow(tx.db(), groups, eq(groups.name, name), patch),
    async delete(name: string) {
      await tx.db().delete(groups).where(eq(groups.name, name));
    },

    /** How many tokens (as default or fallback group) and channels still name this group. */
    async usage(name: string) {
      // a JSON string equal to the name, as SQLite's json_each value = name (a number 1 is not "1")
      const inList = (column: typeof tokens.fallbackGroups | typeof channels.groups) =>
        sql`EXISTS (SELECT 1 FROM jsonb_array_elements(${column}::jsonb) AS e(value) WHERE e.value = to_jsonb(${name}::text))`;
      const [{ n: tokenCount }] = await tx
        .db()
        .select({ n: count() })
        .from(tokens)
        .where(or(eq(tokens.group, name), inList(tokens.fallbackGroups)));
      const [{ n: channelCount }] = await tx.db().select({ n: count() }).from(channels).where(inList(channels.groups));
      return { tokens: tokenCount, channels: channelCount };
    },
  }) satisfies Stores["groups"];
