// PostgreSQL's twin of store/log-browse.ts: the same keyset pages (the same plan, bounded walk and
// cursors), sums over a filter's rows and the latest rows of a user.
import { desc, eq, inArray } from "drizzle-orm";
import { logs } from "../../db/pg/schema";
import {
  type BrowseFilter,
  type Cursor,
  indexed,
  keysets,
  pageOf,
  planPage,
  rowSums,
  WALK_ROWS,
  walkBound,
} from "../log-browse";
import type { LogFilter } from "../logs";
import type { Stores } from "../stores";
import { pgLogWhere } from "./log-filter";
import type { PgTx } from "./pg-tx";

const sets = keysets(logs);

export const pgLogBrowseStore = (tx: PgTx) =>
  ({
    async page(f: LogFilter, cursor: Cursor, limit: number) {
      const db = tx.db();
      const p = planPage(sets, f, cursor);
      // a filter no index serves: the last of the next WALK_ROWS rows of the indexed part bounds the walk
      const [last] = p.walks
        ? await db
            .select({ id: logs.id })
            .from(logs)
            .where(pgLogWhere(indexed(f), [p.start]))
            .orderBy(...p.order)
            .limit(1)
            .offset(WALK_ROWS - 1)
        : [];
      const rows = await db
        .select()
        .from(logs)
        .where(pgLogWhere(f, [p.start, walkBound(p, last?.id)]))
        .orderBy(...p.order)
        .limit(limit + 1);
      return pageOf(p, rows, limit, last?.id);
    },

    async sums(f: BrowseFilter, types: number[]) {
      const [r] = await tx
        .db()
        .select(rowSums(logs))
        .from(logs)
        .where(pgLogWhere(f, [inArray(logs.type, types)]));
      return r;
    },

    latest: async (userId: number, limit: number) =>
      tx
        .db()
        .select({
          type: logs.type,
          createdAt: logs.createdAt,
          durationMs: logs.durationMs,
          ttftMs: logs.ttftMs,
          statusCode: logs.statusCode,
          errorCode: logs.errorCode,
        })
        .from(logs)
        .where(eq(logs.userId, userId))
        .orderBy(desc(logs.id))
        .limit(limit),
  }) satisfies Stores["logBrowse"];
