/** @jsxImportSource @kitajs/html */
// /groups (each group: description, multiplier, the models it serves, whether the viewer may pick it)
// and /pricing (every priced model: prices per 1M tokens or per call, API易 multipliers, billing
// types, serving groups; a GET `q` search that also works without JavaScript, and pages of 50).
// Words from the reader's catalog; prices in their currency.
import type { PlainKey, Translator } from "../../src/i18n";
import { Pager } from "./kit";
import { VideoRate, type VideoRateView } from "./video-rate";

export type GroupCard = {
  name: string;
  description: string;
  multiplier_text: string;
  /** users may pick it (admins may pick any group) */
  selectable: boolean;
  /** the viewer may pick it for a token */
  pickable: boolean;
  models: string[];
};

export type GroupTag = { name: string; multiplier_text: string; pickable: boolean };

/** A priced model; prices in USD millionths (per 1M tokens, or per call). */
export type PriceLine = {
  model: string;
  input: number | null;
  output: number | null;
  cached_input: number | null;
  cache_write: number | null;
  per_call: number | null;
  /** a video model's price (USD millionths) */
  video: VideoRateView | null;
  billing: string[];
  model_ratio: number | null;
  completion_ratio: number | null;
  groups: GroupTag[];
};

const ratio = (v: number | null) => (v === null ? "—" : String(Number(v.toFixed(6))));
const BILLING_LABEL: Record<string, PlainKey> = {
  usage: "pricing.billing.usage",
  per_call: "pricing.billing.per_call",
};

function GroupBadge(props: { g: GroupCard; admin: boolean; t: Translator }) {
  const { g } = props;
  const { t } = props.t;
  const [key, tone]: [PlainKey, string] = !props.admin
    ? ["groups.youCanPick", "ok"]
    : g.selectable || g.name === "default"
      ? ["groups.usersCanPick", "ok"]
      : ["groups.adminsOnly", "off"];
  return (
    <span class={`badge ${tone}`} safe>
      {t(key)}
    </span>
  );
}

export function GroupsPage(props: { groups: GroupCard[]; admin: boolean; t: Translator }) {
  const tr = props.t;
  const { t } = tr;
  return (
    <>
      <div class="toolbar">
        <h1 safe>{t("groups.title")}</h1>
      </div>
      <p class="muted lead" safe>
        {t(props.admin ? "groups.lead.admin" : "groups.lead")}
      </p>
      {props.groups.length === 0 ? (
        <p class="empty" safe>
          {t("groups.empty")}
        </p>
      ) : (
        ""
      )}
      <div class="group-grid">
        {props.groups.map((g) => (
          <article class="card group-card" id={`group-${g.name}`}>
            <header>
              <h2 safe>{g.name}</h2>
              <span class="multiplier" title={t("groups.multiplier")} safe>
                {`×${g.multiplier_text}`}
              </span>
            </header>
            <p class={g.description ? "" : "muted"} safe>
              {g.description || t("groups.noDescription")}
            </p>
            <p>
              <GroupBadge g={g} admin={props.admin} t={tr} />
            </p>
            {g.models.length === 0 ? (
              <p class="muted" safe>
                {t("groups.noModels")}
              </p>
            ) : (
              <details class="models">
                <summary safe>
                  {t(g.models.length === 1 ? "groups.models.one" : "groups.models", { count: g.models.length })}
                </summary>
                <ul class="chips">
                  {g.models.map((m) => (
                    <li>
                      <a href={`/pricing?q=${encodeURIComponent(m)}`} safe>
                        {m}
                      </a>
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </article>
        ))}
      </div>
    </>
  );
}

export type PricingListing = {
  rows: PriceLine[];
  matching: number;
  total: number;
  page: number;
  size: number;
  q: string;
  t: Translator;
};

/** The table's header: each column's label, and the tooltip of the less obvious ones. */
const HEADER: [PlainKey, PlainKey?][] = [
  ["pricing.col.model"],
  ["pricing.col.input"],
  ["pricing.col.cached"],
  ["pricing.col.cacheWrite", "pricing.col.cacheWrite.title"],
  ["pricing.col.output"],
  ["pricing.col.perCall"],
  ["pricing.col.modelRatio", "pricing.col.modelRatio.title"],
  ["pricing.col.completionRatio", "pricing.col.completionRatio.title"],
  ["pricing.col.billing"],
  ["pricing.col.groups"],
];

function PriceRow(props: { p: PriceLine; t: Translator }) {
  const { p } = props;
  const { t } = props.t;
  const price = (micros: number | null) => (micros === null ? "—" : props.t.usdMicros(micros));
  return (
    <tr>
      <td class="name" safe>
        {p.model}
      </td>
      <td safe>{price(p.input)}</td>
      <td safe>{price(p.cached_input)}</td>
      <td safe>{price(p.cache_write)}</td>
      <td safe>{price(p.output)}</td>
      {p.per_call === null && p.video ? (
        <td>
          <VideoRate v={p.video} t={props.t} money={(m) => props.t.usdMicros(m)} />
        </td>
      ) : (
        <td safe>{price(p.per_call)}</td>
      )}
      <td safe>{ratio(p.model_ratio)}</td>
      <td safe>{ratio(p.completion_ratio)}</td>
      <td>
        {p.billing.map((b) => (
          <span class="badge ok" safe>
            {BILLING_LABEL[b] ? t(BILLING_LABEL[b]) : b}
          </span>
        ))}
      </td>
      <td class="groups">
        {p.groups.length === 0 ? (
          <span class="muted" safe>
            {t("pricing.notServed")}
          </span>
        ) : (
          ""
        )}
        {p.groups.map((g) => (
          <span
            class={g.pickable ? "chip" : "chip muted"}
            title={t(g.pickable ? "pricing.chip.pickable" : "pricing.chip.notPickable")}
            safe
          >
            {`${g.name} ×${g.multiplier_text}`}
          </span>
        ))}
      </td>
    </tr>
  );
}

export function PricingTable(props: PricingListing) {
  const { t } = props.t;
  const { q, total, matching } = props;
  const empty = matching > 0 ? t("pricing.pastLast") : q ? t("pricing.noMatch", { q }) : t("pricing.empty");
  return (
    <div id="pricing-results">
      <p class="muted count" safe>
        {q ? t("pricing.matching", { matching, total, q }) : t("pricing.count", { total })}
      </p>
      <div class="table-wrap">
        <table class="data prices">
          <thead>
            <tr>
              {HEADER.map(([label, title]) => (
                <th title={title && t(title)} safe>
                  {t(label)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((p) => (
              <PriceRow p={p} t={props.t} />
            ))}
          </tbody>
        </table>
        {props.rows.length === 0 ? (
          <p class="empty" safe>
            {empty}
          </p>
        ) : (
          ""
        )}
      </div>
      {matching > props.size ? (
        <Pager
          page={props.page}
          size={props.size}
          total={matching}
          summary={(f) => t("pricing.pager", f)}
          t={props.t}
          link={(p) => `/pricing?${new URLSearchParams({ ...(q ? { q } : {}), p: String(p) })}`}
        />
      ) : (
        ""
      )}
    </div>
  );
}

export function PricingPage(props: PricingListing) {
  const { t } = props.t;
  return (
    <>
      <div class="toolbar">
        <h1 safe>{t("pricing.title")}</h1>
        <form
          method="get"
          action="/pricing"
          class="search"
          role="search"
          hx-get="/pricing"
          hx-trigger="input changed delay:250ms from:find input, search from:find input, submit"
          hx-target="#pricing-results"
          hx-select="#pricing-results"
          hx-swap="outerHTML"
          hx-push-url="true"
        >
          <input
            type="search"
            name="q"
            placeholder={t("pricing.search")}
            value={props.q}
            aria-label={t("pricing.search")}
          />
        </form>
      </div>
      <p class="muted lead" safe>
        {t("pricing.lead", { currency: props.t.currency.code })}
      </p>
      <PricingTable {...props} />
    </>
  );
}
