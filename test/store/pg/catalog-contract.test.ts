// Contract: the PostgreSQL twins of the channels and prices stores answer exactly what SQLite's answer, call
// for call on two databases that start empty: pages by keyword in both orders, patches with nothing to write,
// deletes of missing rows, byte-order sorting of models, upserts one at a time and many at once (a model twice
// in one batch, hold caps kept), catalog marks for models that are not there.
import { afterAll, beforeAll, expect, setSystemTime, test } from "bun:test";
import { describePg } from "../../support/postgres";
import { collateLikeALocale, type CrudStores, pgCrudStores, sameOnBoth } from "../../support/store-contract";
import { useStorePair } from "../../support/store-pair";

const T0 = 1_700_000_000;
const channel = (name: string, more: object = {}) => ({
  name,
  baseUrl: `https://${name.length}.example`,
  keysSealed: "sealed",
  createdAt: T0,
  ...more,
});

describePg("CRUD stores on PostgreSQL answer what SQLite answers: channels, prices", () => {
  const pair = useStorePair();
  let pg: CrudStores;
  beforeAll(async () => {
    await collateLikeALocale(pair);
    pg = pgCrudStores(pair.pg.tx);
    setSystemTime(new Date((T0 + 3600) * 1000)); // prices stamp updated_at with Date.now(), on both
  });
  afterAll(() => {
    setSystemTime();
  });
  const same = sameOnBoth(pair, () => pg);

  test("channels: insert, reads, misses, pages newest first and by id with keywords", async () => {
    for (const name of ["OpenAI main", "openai-backup", "azure_east", "50%off", "Ünicode", "ünicode"])
      await same((s) => s.channels.insert(channel(name, { models: '["gpt-4o"]', priority: name.length % 3 })));
    await same((s) => s.channels.all());
    await same((s) => s.channels.byId(3));
    await same((s) => s.channels.byId(999));
    for (const [keyword, offset, limit, order] of [
      ["", 0, 4, undefined],
      ["", 4, 4, undefined],
      ["", 0, 4, "id"],
      ["", 2, 2, "newest"],
      ["OPENAI", 0, 10, "id"],
      ["openai", 1, 10, undefined],
      ["%", 0, 10, undefined],
      ["_", 0, 10, undefined],
      ["e_e", 0, 10, undefined],
      ["ü", 0, 10, undefined],
      ["nothing", 0, 10, "id"],
    ] as const)
      await same((s) => s.channels.page(keyword, offset, limit, order));
  });

  test("channels: patches and deletes", async () => {
    await same((s) => s.channels.update(1, {}));
    await same((s) => s.channels.update(999, {}));
    await same((s) => s.channels.update(999, { name: "x" }));
    await same((s) =>
      s.channels.update(2, { status: 3, statusReason: "401", supportsResponses: true, weight: undefined }),
    );
    expect(await same((s) => s.channels.delete(999))).toBe(false);
    expect(await same((s) => s.channels.delete(6))).toBe(true);
    await same((s) => s.channels.insert(channel("after-delete"))); // id 7 on both
    await same((s) => s.channels.all());
  });

  test("prices: put twice, reads, byte order of models", async () => {
    for (const model of ["gpt-4o", "GPT-5", "claude-3", "_internal", "gpt-4o-mini", "Zeta"])
      await same((s) => s.prices.put({ model, inputMicros: 2_500_000, outputMicros: 10_000_000, updatedAt: T0 }));
    await same((s) => s.prices.put({ model: "gpt-4o", inputMicros: 1, perCallMicros: 7, holdCapTokens: 100 }));
    await same((s) => s.prices.put({ model: "gpt-4o", outputMicros: null, source: "catalog" }));
    expect((await same((s) => s.prices.all())).map((p) => p.model)).toEqual([
      "GPT-5",
      "Zeta",
      "_internal",
      "claude-3",
      "gpt-4o",
      "gpt-4o-mini",
    ]);
    await same((s) => s.prices.get("GPT-5"));
    await same((s) => s.prices.get("gpt-5"));
  });

  test("prices: putMany (new, existing, a model twice), markCatalog, deletes", async () => {
    await same((s) => s.prices.putMany([]));
    await same((s) =>
      s.prices.putMany([
        { model: "new-a", inputMicros: 1, holdCapTokens: 1000 },
        {
          model: "gpt-4o",
          inputMicros: 2,
          outputMicros: 3,
          cachedInputMicros: 4,
          cacheWriteMicros: 5,
          holdCapTokens: 9,
        },
        { model: "new-b", perCallMicros: 20_000, source: "catalog" },
        { model: "new-a", inputMicros: 11, holdCapTokens: 2000, source: "catalog" },
        { model: "GPT-5", inputMicros: 6 },
        { model: "GPT-5", outputMicros: 7, holdCapTokens: 5 },
      ]),
    );
    await same((s) => s.prices.all());
    const many = Array.from({ length: 2500 }, (_, i) => ({ model: `bulk-${i}`, inputMicros: i, outputMicros: 2 * i }));
    await same((s) => s.prices.putMany(many));
    await same((s) => s.prices.markCatalog([]));
    await same((s) => s.prices.markCatalog(["GPT-5", "missing", "bulk-0", ...many.slice(1200).map((p) => p.model)]));
    await same((s) => s.prices.all());
    expect(await same((s) => s.prices.delete("missing"))).toBe(false);
    expect(await same((s) => s.prices.delete("Zeta"))).toBe(true);
    await same((s) => s.prices.get("Zeta"));
  });
});
