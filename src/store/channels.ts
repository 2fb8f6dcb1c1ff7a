// Channels (upstream accounts): the only code that reads or writes the channels table.
// Keys arrive here already sealed; this module never sees an upstream key in plaintext.
import { asc, count, desc, eq } from "drizzle-orm";
import type { Db } from "../db/open";
import { channels } from "../db/schema";
import { contains, patchRow } from "./sql-helpers";

export type NewChannel = typeof channels.$inferInsert;
export type ChannelPatch = Partial<Omit<NewChannel, "id" | "createdAt">>;
/** "newest": highest id first (the default); "id": ascending id */
export type ChannelOrder = "newest" | "id";

export const channelStore = (db: Db) => ({
  all: () => db.select().from(channels).orderBy(asc(channels.id)).all(),
  byId: (id: number) => db.select().from(channels).where(eq(channels.id, id)).get(),

  /** One page, filtered by a literal substring of the name, with the total that matched. */
  page(keyword: string, offset: number, limit: number, order: ChannelOrder = "newest") {
    const where = keyword ? contains(channels.name, keyword) : undefined;
    const items = db
      .select()
      .from(channels)
      .where(where)
      .orderBy(order === "id" ? asc(channels.id) : desc(channels.id))
      .limit(limit)
      .offset(offset)
      .all();
    const total = db.select({ n: count() }).from(channels).where(where).get()!.n;
    return { items, total };
  },

  insert: (row: NewChannel) => db.insert(channels).values(row).returning().get(),
  update: (id: number, patch: ChannelPatch) => patchRow(db, channels, eq(channels.id, id), patch),
  /** true when a row was deleted */
  delete: (id: number) => !!db.delete(channels).where(eq(channels.id, id)).returning({ id: channels.id }).get(),
});
