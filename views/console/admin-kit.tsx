/** @jsxImportSource @kitajs/html */
// Pieces the admin pages share: the admin tabs, the error line of a dialog (filled out-of-band so a
// failed save keeps what was typed, keys and passwords included, in the browser and never echoes
// it), and money/time formatting. Console-wide pieces (toolbar, table, pager, …) live in ./kit.
import type { Children } from "@kitajs/html";

const TABS: [string, string][] = [
  ["/admin/dashboard", "Dashboard"],
  ["/admin/channels", "Channels"],
  ["/admin/users", "Users"],
  ["/admin/redemptions", "Codes"],
  ["/admin/groups", "Groups"],
  ["/admin/pricing", "Pricing"],
  ["/admin/settings", "Settings"],
  ["/admin/logs", "Logs"],
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

export const AdminTabs = (props: { path: string }) => (
  <TabNav tabs={TABS} current={props.path} label="Administration" />
);

/** An admin page: the tabs, then the page's own content. Dialog forms aim their requests at the
 * sink (hx-swap "none": the reply only swaps out-of-band, the saved row or the error line): a target
 * inside the dialog would make app.js reopen the dialog that the reply's close-dialog just closed. */
export function AdminPage(props: { path: string; children?: Children }) {
  return (
    <section class="admin-page">
      <AdminTabs path={props.path} />
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
