/** @jsxImportSource @kitajs/html */
// /groups (each group: description, multiplier, the models it serves, whether the viewer may pick it)
// and /pricing (every priced model: prices per 1M tokens or per call, API易 multipliers, billing
// types, serving groups; a GET `q` search that also works without JavaScript, and pages of 50).
import { Pager } from "./kit";

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

export type PriceLine = {
  model: string;
  input: string | null;
  output: string | null;
  cached_input: string | null;
  cache_write: string | null;
  per_call: string | null;
  billing: string[];
  model_ratio: number | null;
  completion_ratio: number | null;
  groups: GroupTag[];
};

const usd = (v: string | null) => (v === null ? "—" : `$${v}`);
const ratio = (v: number | null) => (v === null ? "—" : String(Number(v.toFixed(6))));
const BILLING_LABEL: Record<string, string> = { usage: "by tokens", per_call: "per call" };

function GroupBadge(props: { g: GroupCard; admin: boolean }) {
  const g = props.g;
  if (!props.admin) return <span class="badge ok">you can pick it</span>;
  return g.selectable || g.name === "default" ? (
    <span class="badge ok">users can pick it</span>
  ) : (
    <span class="badge off">admins only</span>
  );
}

export function GroupsPage(props: { groups: GroupCard[]; admin: boolean }) {
  return (
    <>
      <div class="toolbar">
        <h1>Groups</h1>
      </div>
      <p class="muted lead">
        A group is a set of upstream channels. A call is billed at the multiplier of the group that served it; a token
        tries its group first, then its fallback groups.
        {props.admin
          ? " As an admin you may pick any group; users see and pick only the ones marked “users can pick it”."
          : ""}
      </p>
      {props.groups.length === 0 ? (
        <p class="empty">No groups yet — an admin creates them under Admin → Groups.</p>
      ) : (
        ""
      )}
      <div class="group-grid">
        {props.groups.map((g) => (
          <article class="card group-card" id={`group-${g.name}`}>
            <header>
              <h2 safe>{g.name}</h2>
              <span class="multiplier" title="price multiplier" safe>
                {`×${g.multiplier_text}`}
              </span>
            </header>
            <p class={g.description ? "" : "muted"} safe>
              {g.description || "No description."}
            </p>
            <p>
              <GroupBadge g={g} admin={props.admin} />
            </p>
            {g.models.length === 0 ? (
              <p class="muted">No models yet — no enabled channel serves this group.</p>
            ) : (
              <details class="models">
                <summary safe>{`${g.models.length} ${g.models.length === 1 ? "model" : "models"}`}</summary>
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
};

export function PricingTable(props: PricingListing) {
  const empty: string =
    props.matching > 0
      ? "This page is past the last one."
      : props.q
        ? `No model matches “${props.q}” — try a shorter search.`
        : "No prices yet — an admin sets them under Admin → Pricing.";
  return (
    <div id="pricing-results">
      <p class="muted count" safe>
        {props.q ? `${props.matching} of ${props.total} models match “${props.q}”` : `${props.total} models`}
      </p>
      <div class="table-wrap">
        <table class="data prices">
          <thead>
            <tr>
              <th>Model</th>
              <th>Input / 1M</th>
              <th>Cached / 1M</th>
              <th title="prompt-cache writes (Anthropic); defaults to the input price">Cache write / 1M</th>
              <th>Output / 1M</th>
              <th>Per call</th>
              <th title="API易 model multiplier: input price ÷ 2">Model ratio</th>
              <th title="API易 completion multiplier: output price ÷ input price">Completion ratio</th>
              <th>Billing</th>
              <th>Groups</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((p) => (
              <tr>
                <td class="name" safe>
                  {p.model}
                </td>
                <td safe>{usd(p.input)}</td>
                <td safe>{usd(p.cached_input)}</td>
                <td safe>{usd(p.cache_write)}</td>
                <td safe>{usd(p.output)}</td>
                <td safe>{usd(p.per_call)}</td>
                <td safe>{ratio(p.model_ratio)}</td>
                <td safe>{ratio(p.completion_ratio)}</td>
                <td>
                  {p.billing.map((b) => (
                    <span class="badge ok" safe>
                      {BILLING_LABEL[b] ?? b}
                    </span>
                  ))}
                </td>
                <td class="groups">
                  {p.groups.length === 0 ? <span class="muted">not served now</span> : ""}
                  {p.groups.map((g) => (
                    <span
                      class={g.pickable ? "chip" : "chip muted"}
                      title={g.pickable ? "price multiplier of this group" : "a group you cannot pick"}
                      safe
                    >
                      {`${g.name} ×${g.multiplier_text}`}
                    </span>
                  ))}
                </td>
              </tr>
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
      {props.matching > props.size ? (
        <Pager
          page={props.page}
          size={props.size}
          total={props.matching}
          noun="models"
          link={(p) => `/pricing?${new URLSearchParams({ ...(props.q ? { q: props.q } : {}), p: String(p) })}`}
        />
      ) : (
        ""
      )}
    </div>
  );
}

export function PricingPage(props: PricingListing) {
  return (
    <>
      <div class="toolbar">
        <h1>Pricing</h1>
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
            placeholder="Search models or groups"
            value={props.q}
            aria-label="Search models or groups"
          />
        </form>
      </div>
      <p class="muted lead">
        USD per 1M tokens (or per call), before the group multiplier: a call costs the price × the multiplier of the
        group that served it. API易's multipliers: model ratio = input ÷ 2, completion ratio = output ÷ input. Cached
        input is billed at the cached price, prompt-cache writes at the cache write price.
      </p>
      <PricingTable {...props} />
    </>
  );
}
