/** @jsxImportSource @kitajs/html */
// Pieces the console pages (user and admin alike) share, so each page states only what is its own:
// the list toolbar (title, search form, New button), the data table frame, the row action menu and
// row buttons, the pager, the dialog button rows, a log filter's From / To days, and the "copy by
// hand" fallback dialog that app.js opens when the browser refuses the clipboard. Every text a caller
// passes in is escaped here; only `children` (already rendered JSX) is inserted as it is. Their own
// words (New, Cancel, Done, the pager's) are in the reader's language when the page passes its
// translator `t`, English otherwise.
import { type Children, escapeHtml } from "@kitajs/html";
import { templatePieces } from "../../src/core/message-template";
import type { MessageKey, PlainKey, Translator } from "../../src/i18n";

const WRENCH_ICON =
  '<svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M14.7 6.3a4 4 0 0 0-5.4 5.4L3 18l3 3 6.3-6.3a4 4 0 0 0 5.4-5.4l-2.6 2.6-2.4-.6-.6-2.4z"/></svg>';

/** A list page's toolbar: the title, an optional GET search form with one input, then `children`
 * (extra buttons, links, a spacer), then the New button that loads its dialog into #dialog-slot. */
export function ListToolbar(props: {
  title: string;
  search?: { action: string; name?: string; placeholder: string; value: string };
  newUrl?: string;
  t: Translator;
  children?: Children;
}) {
  const s = props.search;
  return (
    <div class="toolbar">
      <h1 safe>{props.title}</h1>
      {s ? (
        <form method="get" action={s.action} class="search">
          <input name={s.name ?? "keyword"} placeholder={s.placeholder} value={s.value} />
        </form>
      ) : (
        ""
      )}
      {props.children}
      {props.newUrl ? (
        <button type="button" class="primary" hx-get={props.newUrl} hx-target="#dialog-slot" safe>
          {props.t.t("common.new")}
        </button>
      ) : (
        ""
      )}
    </div>
  );
}

/** A header cell: its label, or the label with a class and/or a tooltip. */
export type Column = string | { label: string; class?: string; title?: string };

/** The table frame: `<div class="table-wrap"><table class="data">`, the header row from `columns`,
 * the rows (`children`) in a tbody with an optional id, then `empty` (shown when there are no rows:
 * the caller passes it only then). */
export function DataTable(props: {
  columns: Column[];
  bodyId?: string;
  tableClass?: string;
  empty?: Children;
  children?: Children;
}) {
  return (
    <div class="table-wrap">
      <table class={props.tableClass ? `data ${props.tableClass}` : "data"}>
        <thead>
          <tr>
            {props.columns.map((c) =>
              typeof c === "string" ? (
                <th safe>{c}</th>
              ) : (
                <th class={c.class} title={c.title} safe>
                  {c.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody id={props.bodyId}>{props.children}</tbody>
      </table>
      {props.empty}
    </div>
  );
}

/** The last cell of a row: the wrench menu holding the row's actions (`children`). */
export function RowMenu(props: { t: Translator; children?: Children }) {
  const label = props.t.t("common.actions");
  return (
    <td class="actions">
      <details class="menu">
        <summary title={label} aria-label={label}>
          {WRENCH_ICON}
        </summary>
        <div class="menu-items">{props.children}</div>
      </details>
    </td>
  );
}

/** The last cell of a row whose few actions show as plain buttons. */
export function RowButtons(props: { children?: Children }) {
  return <td class="actions row-buttons">{props.children}</td>;
}

export type PageFigures = { page: number; pages: number; total: number };

/** "Page 2 of 5 · 93 tokens" with Previous/Next links built by `link`: `noun` names the rows, or
 * `summary` says the whole line (a catalog template, in the reader's language, with `t`). With an
 * `id` an action can redraw it out-of-band (`oob`) when it adds or removes a row. */
export function Pager(props: {
  page: number;
  size: number;
  total: number;
  link: (p: number) => string;
  noun?: string;
  summary?: (f: PageFigures) => string;
  t: Translator;
  id?: string;
  oob?: boolean;
}) {
  const { t } = props.t;
  const pages = Math.max(1, Math.ceil(props.total / props.size));
  const figures = { page: props.page, pages, total: props.total };
  const line = props.summary
    ? props.summary(figures)
    : `Page ${props.page} of ${pages} · ${props.total} ${props.noun ?? ""}`;
  return (
    <nav class="pager" id={props.id} hx-swap-oob={props.oob ? "true" : undefined}>
      {props.page > 1 ? (
        <a href={props.link(props.page - 1)} safe>
          {t("pager.previous")}
        </a>
      ) : (
        ""
      )}
      <span safe>{line}</span>
      {props.page < pages ? (
        <a href={props.link(props.page + 1)} safe>
          {t("pager.next")}
        </a>
      ) : (
        ""
      )}
    </nav>
  );
}

/** A keyset list's pager (the logs, the video jobs): a link for each of `links` that has an address,
 * in order, worded by its catalog key; none for a direction with nowhere to go. */
export function CursorPager(props: { links: [href: string | undefined, key: PlainKey][]; t: Translator }) {
  return (
    <nav class="pager">
      {props.links.map(([href, key]) =>
        href ? (
          <a href={href} safe>
            {props.t.t(key)}
          </a>
        ) : (
          ""
        ),
      )}
    </nav>
  );
}

/** A form dialog's buttons: Cancel (closes, submits nothing) and the primary submit button. */
export function DialogButtons(props: { submit: string; t: Translator }) {
  return (
    <div class="buttons">
      <button type="button" data-close safe>
        {props.t.t("common.cancel")}
      </button>
      <button type="submit" class="primary" safe>
        {props.submit}
      </button>
    </div>
  );
}

/** An information dialog's only button: Done, which closes it. */
export function DoneButton(props: { t: Translator }) {
  return (
    <div class="buttons">
      <button type="button" data-close safe>
        {props.t.t("common.done")}
      </button>
    </div>
  );
}

/** A secret shown once (a new key, an access token, a webhook secret) with its Copy button. */
export function KeyBox(props: { value: string; id?: string; t: Translator }) {
  return (
    <p class="key-box">
      <code id={props.id} safe>
        {props.value}
      </code>
      <button type="button" class="primary" data-copy={props.value} safe>
        {props.t.t("common.copy")}
      </button>
    </p>
  );
}

/** Where dialogs fetched with hx-target="#dialog-slot" land. */
export const DialogSlot = () => <div id="dialog-slot"></div>;

/** A log filter form's days (/log, /admin/logs): From and To, UTC days, both included. */
export function DayRangeInputs(props: { from: string; to: string; t: Translator }) {
  const { t } = props.t;
  return (
    <>
      <label>
        <span safe>{t("kit.fromUtc")}</span>
        <input type="date" name="from" value={props.from} />
      </label>
      <label>
        <span safe>{t("kit.toUtc")}</span>
        <input type="date" name="to" value={props.to} />
      </label>
    </>
  );
}

/** The fallback app.js opens when the browser refuses the clipboard: the text to copy is put in the
 * input. `what` names it in the prompt ("the key", "it"; none: "Copy by hand:"); `prompt`, with the
 * page's translator, is the whole prompt in the reader's language. */
export function CopyManualDialog(props: { what?: string; prompt?: string; t: Translator }) {
  const prompt =
    props.prompt ?? `The browser refused the clipboard. Copy ${props.what ? `${props.what} ` : ""}by hand:`;
  return (
    <dialog id="copy-manual">
      <p safe>{prompt}</p>
      <input readonly />
      <button type="button" data-close safe>
        {props.t.t("common.done")}
      </button>
    </dialog>
  );
}

/** A catalog sentence with markup inside ("Address: {url} (…)" with the URL in <code>): the sentence's
 * own words escaped, each {name} replaced by `parts[name]`, already-rendered JSX (whose data JSX
 * escaped). The word order stays the language's own. */
export function Rich(props: { t: Translator; k: MessageKey; parts: Record<string, string> }) {
  return templatePieces(props.t.template(props.k))
    .map((piece, i) => (i % 2 === 0 ? escapeHtml(piece) : (props.parts[piece] ?? `{${piece}}`)))
    .join("");
}
