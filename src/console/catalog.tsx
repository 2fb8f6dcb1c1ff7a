/** @jsxImportSource @kitajs/html */
// /groups and /pricing: what a signed-in user can buy. Groups come from services/groups (users see
// the ones they may pick, admins all), the models a group serves from the live route index (enabled
// channels only), prices from services/prices: searched and paged (50 a page), shown in the reader's
// currency.
import { videoRateOf } from "../../views/console/video-rate";
import { GroupsPage, PricingPage, type GroupCard, type GroupTag, type PriceLine } from "../../views/console/catalog";
import { reachableModels } from "../core/routing";
import { formatMicros, parseMicros } from "../core/money";
import { isAdmin } from "../services/actor";
import { listGroups } from "../services/groups";
import { readPage, type Page } from "../services/paging";
import { listPrices } from "../services/prices";
import type { consoleTable, PageCall } from "./route";

const PRICING_PAGE_SIZE = 50;

async function groupCards({ ctx, user }: Pick<PageCall, "ctx" | "user">): Promise<GroupCard[]> {
  const routes = ctx.snapshot.current.routes;
  return (await listGroups(ctx, user)).items.map((g) => ({
    name: g.name,
    description: g.description,
    multiplier_text: g.multiplier_text,
    selectable: g.selectable,
    pickable: isAdmin(user) || g.selectable || g.name === "default",
    models: reachableModels(routes, [g.name], new Set(), () => true),
  }));
}

/** One page of the priced models matching `q` (a model or group name, any case), in model order. */
async function priceLines({ ctx, user }: Pick<PageCall, "ctx" | "user">, q: string, page: Page) {
  const groups = ctx.snapshot.current.groupsByName;
  const tag = (name: string): GroupTag => {
    const g = groups.get(name);
    return {
      name,
      multiplier_text: g ? formatMicros(g.multiplierMicros) : "1",
      pickable: isAdmin(user) || name === "default" || !!g?.selectable,
    };
  };
  const all = (await listPrices(ctx)).items;
  const needle = q.trim().toLowerCase();
  const matching = needle
    ? all.filter(
        (p) => p.model.toLowerCase().includes(needle) || p.groups.some((g) => g.toLowerCase().includes(needle)),
      )
    : all;
  const micros = (usd: string | null) => (usd === null ? null : parseMicros(usd));
  const rows: PriceLine[] = matching.slice(page.offset, page.offset + page.size).map((p) => ({
    ...p,
    input: micros(p.input),
    output: micros(p.output),
    cached_input: micros(p.cached_input),
    cache_write: micros(p.cache_write),
    per_call: micros(p.per_call),
    video: videoRateOf(p.video),
    billing: p.billing as string[],
    groups: p.groups.map(tag),
  }));
  return { rows, matching: matching.length, total: all.length, page: page.p, size: page.size };
}

export function catalogPages({ page }: ReturnType<typeof consoleTable>) {
  page(
    "/groups",
    { title: ({ t }) => t("groups.title") },
    async (call) => GroupsPage({ groups: await groupCards(call), admin: isAdmin(call.user), t: call.t }) as string,
  );
  page("/pricing", { title: ({ t }) => t("pricing.title") }, async (call) => {
    const q = (call.query.q ?? "").slice(0, 200);
    const listing = await priceLines(call, q, readPage({ p: call.query.p }, PRICING_PAGE_SIZE));
    return PricingPage({ ...listing, q, t: call.t }) as string;
  });
}
