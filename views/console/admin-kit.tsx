/** @jsxImportSource @kitajs/html */
// Pieces the admin pages share: the admin tabs, the error line of a dialog (filled out-of-band so a
// failed save keeps what was typed, keys and passwords included, in the browser and never echoes
// it), and money/time formatting. Console-wide pieces (toolbar, table, pager, …) live in ./kit.
// The tabs are in the reader's language when the page passes its translator `t`, English otherwise.
import type { Children } from "@kitajs/html";
import type { PlainKey, Translator } from "../../src/i18n";

const TABS: [string, PlainKey][] = [
  ["/admin/dashboard", "adminKit.tab.dashboard"],
  ["/admin/channels", "adminKit.tab.channels"],
  ["/admin/users", "adminKit.tab.users"],
  ["/admin/redemptions", "adminKit.tab.codes"],
  ["/admin/groups", "adminKit.tab.groups"],
  ["/admin/pricing", "adminKit.tab.pricing"],
  ["/admin/settings", "adminKit.tab.settings"],
  ["/admin/logs", "adminKit.tab.logs"],
];

/** A row of tabs ([href, label]); the one whose href is `current` is marked as the page. */
export function TabNav(props: { tabs: [string, string][]; current: string; label: string }) {
  return (
    <nav class="admin-tabs" aria-label={props.label}>
      {props.tabs.map(([href, label]) => (
        <a
          href={href}
          class={props.current === href ? "active" : ""}
          aria-current={props.current === href ? "page" : undefined}
          safe
        >
          {label}
        </a>
      ))}
    </nav>
  );
}

export function AdminTabs(props: { path: string; t: Translator }) {
  const { t } = props.t;
  return <TabNav tabs={TABS.map(([href, key]) => [href, t(key)])} current={props.path} label={t("adminKit.tabs")} />;
}

/** An admin page: the tabs, then the page's own content. Dialog forms aim their requests at the
 * sink (hx-swap "none": the reply only swaps out-of-band, the saved row or the error line): a target
 * inside the dialog would make app.js reopen the dialog that the reply's close-dialog just closed. */
export function AdminPage(props: { path: string; t: Translator; children?: Children }) {
  return (
    <section class="admin-page">
      <AdminTabs path={props.path} t={props.t} />
      {props.children}
      <div id="admin-sink" hidden></div>
    </section>
  );
}

/** The (empty) error line inside a dialog; a failed save replaces it out-of-band. */
export const DialogErrorSlot = () => <p id="dialog-error" class="alert error" role="alert" hidden></p>;

/** The out-of-band reply of a failed save: only the error line changes, the form keeps its input. */
export function DialogError(props: { message: string }) {
  return (
    <p id="dialog-error" class="alert error" role="alert" hx-swap-oob="true" safe>
      {props.message}
    </p>
  );
}

/** Unix seconds or milliseconds → "2026-01-31 12:34:56" UTC. */
export const utc = (t: number, unit: "s" | "ms" = "s") =>
  new Date(unit === "s" ? t * 1000 : t).toISOString().slice(0, 19).replace("T", " ");
/** A query string from the non-empty values. */
export function qs(values: Record<string, string | number | undefined>) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}
