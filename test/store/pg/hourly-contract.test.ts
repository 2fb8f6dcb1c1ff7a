// The admin dashboard's reads on PostgreSQL (store/pg/hourly-reads.ts) answer what SQLite's answer, from
// the same hourly rollups written by each database's ledger: sums per hour, the top values of every
// dimension (ties in SQLite's order) and merged histograms, over periods of local days in time zones
// east and west of UTC (day rows and the hours around them) and over a UTC midnight.
import { beforeAll, expect, test } from "bun:test";
import { isPeriodProblem, type PeriodName, resolvePeriod } from "../../../src/core/local-days";
import { DIMS } from "../../../src/store/hourly";
import { pgHourlyReads } from "../../../src/store/pg/hourly-reads";
import { describePg } from "../../support/postgres";
import { fillBoth, languageOrder, sameOnBoth, T0 } from "../../support/read-rows";
import { useStorePair } from "../../support/store-pair";

const HOUR = 3600;
const t0 = T0 / 1000;

describePg("the dashboard's hourly reads on PostgreSQL answer as SQLite's", () => {
  const pair = useStorePair();
  const same = sameOnBoth(pair);
  beforeAll(async () => {
    await languageOrder(pair, "usage_hourly", ["key"]);
    await fillBoth(pair, 4_000);
  });

  /** [start, end) of periods as the dashboard resolves them, and hour ranges over a UTC midnight */
  function periods(): [number, number][] {
    const out: [number, number][] = [
      [t0, t0 + 4 * HOUR], // up to midnight
      [t0 + 2 * HOUR, t0 + 7 * HOUR], // across it
      [t0 - 5 * HOUR, t0 + 30 * HOUR], // a whole UTC day and the hours around it
      [t0 + 100 * HOUR, t0 + 110 * HOUR], // nothing there
    ];
    const now = t0 + 20 * HOUR;
    for (const tz of ["America/New_York", "Asia/Shanghai", "Asia/Kolkata", "UTC"])
      for (const name of ["today", "7d", "custom"] as PeriodName[]) {
        const p = resolvePeriod(name, now, tz, { from: "2026-03-10", to: "2026-03-11" });
        if (isPeriodProblem(p)) throw new Error(`${name} ${tz}`);
        out.push([p.start, p.end]);
      }
    return out;
  }

  test("sums per hour of each period", async () => {
    const pg = pgHourlyReads(pair.pg.tx);
    let hours = 0;
    for (const [start, end] of periods())
      hours += (
        await same(
          () => pair.sqlite.stores.hourly.perHour(start, end),
          () => pg.perHour(start, end),
        )
      ).length;
    expect(hours).toBeGreaterThan(50);
  });

  test("the top values of every dimension, with how many there were, and their merged histograms", async () => {
    const pg = pgHourlyReads(pair.pg.tx);
    const lite = pair.sqlite.stores.hourly;
    let ranked = 0;
    for (const [start, end] of periods())
      for (const dim of DIMS)
        for (const limit of [1, 2, 10]) {
          const top = await same(
            () => lite.top(dim, start, end, limit),
            () => pg.top(dim, start, end, limit),
          );
          ranked += top.length;
          const keys = [...top.map((r) => r.key), "no-such-key"];
          await same(
            () => lite.histograms(dim, start, end, keys),
            () => pg.histograms(dim, start, end, keys),
          );
        }
    expect(ranked).toBeGreaterThan(100);
    const ties = (await pg.top("model", t0, t0 + HOUR, 10)).map((r) => r.key).filter((k) => /eta|alpha/.test(k));
    expect(ties).toEqual(["Beta", "Zeta", "alpha"]);
    const [start, end] = periods()[2];
    const all = await pg.histograms("all", start, end, [""]);
    expect(Object.keys(all.get("")!.latency).length).toBeGreaterThan(3);
    expect(await pg.histograms("model", start, end, [])).toEqual(new Map());
  });
});
