// Channels (upstream accounts) on PostgreSQL: the twin of store/channels.ts; keys arrive already sealed.
import { asc, count, desc, eq } from "drizzle-orm";
import { channels } from "../../db/pg/schema";
import type { ChannelOrder, ChannelPatch, NewChannel } from "../channels";
import type { Stores } from "../stores";
import type { PgTx } from "./pg-tx";
import { contains, patchRow } from "./sql-helpers";

export const pgChannelStore = (tx: PgTx) =>
  ({
    all: async () => tx.db().select().from(channels).orderBy(asc(channels.id)),
    byId: async (id: number) => (await tx.db().select().from(channels).where(eq(channels.id, id)))[0],

    /** One page, filtered by a literal substring of the name, with the total that matched. */
    async page(keyword: string, offset: number, limit: number, order: ChannelOrder = "newest") {
      const where = keyword ? contains(channels.name, keyword) : undefined;
      const items = await tx
        .db()
        .select()
        .from(channels)
        .where(where)
        .orderBy(order === "id" ? asc(channels.id) : desc(channels.id))
        .limit(limit)
        .offset(offset);
      const [{ n: total }] = await tx.db().select({ n: count() }).from(channels).where(where);
      return { items, total };
    },

    insert: async (row: NewChannel) => (await tx.db().insert(channels).values(row).returning())[0]!,
    update: (id: number, patch: ChannelPatch) => patchRow(tx.db(), channels, eq(channels.id, id), patch),
    /** true when a row was deleted */
    delete: async (id: number) =>
      (await tx.db().delete(channels).where(eq(channels.id, id)).returning({ id: channels.id })).length > 0,
  }) satisfies Stores["channels"];
