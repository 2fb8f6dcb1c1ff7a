// Channels (upstream accounts): the only code that reads or writes the channels table.
import { asc } from "drizzle-orm";
import type { Db } from "../db/open";
import { channels } from "../db/schema";

export const channelStore = (db: Db) => ({
  all: () => db.select().from(channels).orderBy(asc(channels.id)).all(),
});
