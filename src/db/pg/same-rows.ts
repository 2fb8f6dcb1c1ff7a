// Compile-time check (types only) that the PostgreSQL schema (src/db/pg/schema.ts) gives every table the
// same row types as the SQLite one (src/db/schema.ts, the reference): `bunx tsc --noEmit` fails otherwise.
import type { Table } from "drizzle-orm";
import type * as lite from "../schema";
import type * as pg from "./schema";

/** true only when A and B are the same type (not merely assignable either way) */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

/** the names of a schema module's exported tables */
type TableNames<M> = { [K in keyof M]: M[K] extends Table ? K : never }[keyof M];

/** the tables checked below: both schemas export exactly these */
type Checked =
  | "users"
  | "groups"
  | "tokens"
  | "settings"
  | "sessions"
  | "channels"
  | "logs"
  | "prices"
  | "holds"
  | "usageDaily"
  | "usageHourly"
  | "alertSends"
  | "redemptions"
  | "videoJobs";

export type SchemaChecks = [
  Expect<Equal<TableNames<typeof lite>, Checked>>,
  Expect<Equal<TableNames<typeof pg>, Checked>>,
  // every other export (RARE_LOG_TYPES, isRareLogType) too
  Expect<Equal<keyof typeof lite, keyof typeof pg>>,
];

export type SelectChecks = [
  Expect<Equal<typeof lite.users.$inferSelect, typeof pg.users.$inferSelect>>,
  Expect<Equal<typeof lite.groups.$inferSelect, typeof pg.groups.$inferSelect>>,
  Expect<Equal<typeof lite.tokens.$inferSelect, typeof pg.tokens.$inferSelect>>,
  Expect<Equal<typeof lite.settings.$inferSelect, typeof pg.settings.$inferSelect>>,
  Expect<Equal<typeof lite.sessions.$inferSelect, typeof pg.sessions.$inferSelect>>,
  Expect<Equal<typeof lite.channels.$inferSelect, typeof pg.channels.$inferSelect>>,
  Expect<Equal<typeof lite.logs.$inferSelect, typeof pg.logs.$inferSelect>>,
  Expect<Equal<typeof lite.prices.$inferSelect, typeof pg.prices.$inferSelect>>,
  Expect<Equal<typeof lite.holds.$inferSelect, typeof pg.holds.$inferSelect>>,
  Expect<Equal<typeof lite.usageDaily.$inferSelect, typeof pg.usageDaily.$inferSelect>>,
  Expect<Equal<typeof lite.usageHourly.$inferSelect, typeof pg.usageHourly.$inferSelect>>,
  Expect<Equal<typeof lite.alertSends.$inferSelect, typeof pg.alertSends.$inferSelect>>,
  Expect<Equal<typeof lite.redemptions.$inferSelect, typeof pg.redemptions.$inferSelect>>,
  Expect<Equal<typeof lite.videoJobs.$inferSelect, typeof pg.videoJobs.$inferSelect>>,
];

export type InsertChecks = [
  Expect<Equal<typeof lite.users.$inferInsert, typeof pg.users.$inferInsert>>,
  Expect<Equal<typeof lite.groups.$inferInsert, typeof pg.groups.$inferInsert>>,
  Expect<Equal<typeof lite.tokens.$inferInsert, typeof pg.tokens.$inferInsert>>,
  Expect<Equal<typeof lite.settings.$inferInsert, typeof pg.settings.$inferInsert>>,
  Expect<Equal<typeof lite.sessions.$inferInsert, typeof pg.sessions.$inferInsert>>,
  Expect<Equal<typeof lite.channels.$inferInsert, typeof pg.channels.$inferInsert>>,
  Expect<Equal<typeof lite.logs.$inferInsert, typeof pg.logs.$inferInsert>>,
  Expect<Equal<typeof lite.prices.$inferInsert, typeof pg.prices.$inferInsert>>,
  Expect<Equal<typeof lite.holds.$inferInsert, typeof pg.holds.$inferInsert>>,
  Expect<Equal<typeof lite.usageDaily.$inferInsert, typeof pg.usageDaily.$inferInsert>>,
  Expect<Equal<typeof lite.usageHourly.$inferInsert, typeof pg.usageHourly.$inferInsert>>,
  Expect<Equal<typeof lite.alertSends.$inferInsert, typeof pg.alertSends.$inferInsert>>,
  Expect<Equal<typeof lite.redemptions.$inferInsert, typeof pg.redemptions.$inferInsert>>,
  Expect<Equal<typeof lite.videoJobs.$inferInsert, typeof pg.videoJobs.$inferInsert>>,
];

/** the exported row types name the same rows */
export type RowTypeChecks = [
  Expect<Equal<lite.UserRow, pg.UserRow>>,
  Expect<Equal<lite.AlertSendRow, pg.AlertSendRow>>,
  Expect<Equal<lite.TokenRow, pg.TokenRow>>,
  Expect<Equal<lite.GroupRow, pg.GroupRow>>,
  Expect<Equal<lite.LogRow, pg.LogRow>>,
  Expect<Equal<lite.ChannelRow, pg.ChannelRow>>,
  Expect<Equal<lite.PriceRow, pg.PriceRow>>,
  Expect<Equal<lite.RedemptionRow, pg.RedemptionRow>>,
  Expect<Equal<lite.VideoJobRow, pg.VideoJobRow>>,
];
