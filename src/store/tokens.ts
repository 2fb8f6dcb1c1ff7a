// Tokens (sk- keys): the only code that reads or writes the tokens table.
import { and, count, desc, eq, getTableColumns, type SQL } from "drizzle-orm";
import type { Db } from "../db/open";
import { tokens, users, type TokenRow } from "../db/schema";
import { contains, patchRow } from "./sql-helpers";

export type NewToken = typeof tokens.$inferInsert;
export type TokenPatch = Partial<Omit<NewToken, "id" | "userId" | "keyHash" | "keySealed" | "keyMask">>;
export type TokenWithOwner = TokenRow & { username: string };

const withOwner = { ...getTableColumns(tokens), username: users.username };

export const tokenStore = (db: Db) => ({
  byId: (id: number): TokenWithOwner | undefined =>
    db.select(withOwner).from(tokens).innerJoin(users, eq(users.id, tokens.userId)).where(eq(tokens.id, id)).get(),
  all: () => db.select().from(tokens).orderBy(tokens.id).all(),
  countForUser: (userId: number) => db.select({ n: count() }).from(tokens).where(eq(tokens.userId, userId)).get()!.n,
  nameTaken: (userId: number, name: string) =>
    !!db
      .select({ id: tokens.id })
      .from(tokens)
      .where(and(eq(tokens.userId, userId), eq(tokens.name, name)))
      .get(),

  /** Newest first; `userId` null lists every user's tokens (admins). */
  page(userId: number | null, keyword: string, offset: number, limit: number) {
    const filters: SQL[] = [];
    if (userId !== null) filters.push(eq(tokens.userId, userId));
    if (keyword) filters.push(contains(tokens.name, keyword));
    const where = filters.length ? and(...filters) : undefined;
    const items = db
      .select(withOwner)
      .from(tokens)
      .innerJoin(users, eq(users.id, tokens.userId))
      .where(where)
      .orderBy(desc(tokens.id))
      .limit(limit)
      .offset(offset)
      .all();
    const total = db.select({ n: count() }).from(tokens).where(where).get()!.n;
    return { items, total };
  },

  insert: (row: NewToken) => db.insert(tokens).values(row).returning().get(),
  update: (id: number, patch: TokenPatch) => patchRow(db, tokens, eq(tokens.id, id), patch),
  delete(id: number) {
    db.delete(tokens).where(eq(tokens.id, id)).run();
  },
});
