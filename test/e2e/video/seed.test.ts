// The video models' prices a fresh server starts with: the vendors' per-second prices (Sora 2 and
// Pro by size, Veo 3.1, Wan), from src/catalog/video-prices.ts; seeded once, never over an admin's.
import { expect, test } from "bun:test";
import { VIDEO_SEEDS } from "../../../src/catalog/video-prices";
import { consoleSession } from "../../support/console";
import { ADMIN_PASSWORD, call, login, useServer } from "../../support/server";

const app = useServer();

test("every seeded video model has its vendor's price; sora-2-pro is dearer at 1792x1024", async () => {
  const admin = await login(app.url, "admin", ADMIN_PASSWORD);
  const list = (await call(app.url, "GET", "/api/pricing/", undefined, admin)).body.data;
  const items: { model: string; video: Record<string, unknown> | null }[] = list.items ?? list;
  const byModel = new Map(items.map((p) => [p.model, p]));
  for (const seed of VIDEO_SEEDS)
    expect(Number(byModel.get(seed.model)?.video?.per_second)).toBe(Number(seed.video.per_second));
  expect(byModel.get("sora-2-pro")?.video).toMatchObject({
    per_second: "0.3",
    sizes: { "1792x1024": "0.5" },
    default_seconds: 4,
  });
});

test("the price tables show a video model's price per second, with its sizes' prices in the title", async () => {
  const admin = await consoleSession(app.url, "admin", ADMIN_PASSWORD);
  const pricing = (await admin.page("/pricing?q=sora-2-pro", undefined, { "accept-language": "en" })).text;
  expect(pricing).toContain('title="by size: 1024x1792 $0.50/s, 1792x1024 $0.50/s">$0.30/s</span>');
  const zh = (await admin.page("/pricing?q=sora-2-pro", undefined, { "accept-language": "zh-CN" })).text;
  expect(zh).toContain(">$0.30/秒</span>");
  const table = (await admin.page("/admin/pricing?keyword=veo-3.1-fast")).text;
  expect(table).toContain(">$0.15/s</span>");
});
