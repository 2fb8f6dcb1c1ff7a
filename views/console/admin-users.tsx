/** @jsxImportSource @kitajs/html */
// /admin/users: the table of accounts (balance and its budget, unlimited, role, status), the New
// user, Top up and Rate limits dialogs. The Budget dialog: user-budget.tsx; a user's tokens: user-tokens.tsx.
// Every word from the reader's catalog (`t`); amounts in their currency, dates in their time zone.
import type { Children } from "@kitajs/html";
import { type RateLimitForm, RateLimitInputs } from "./rate-limits";
import { USER_ROLE, USER_STATUS } from "../../src/core/status";
import type { PlainKey, Translator } from "../../src/i18n";
import { AdminPage, DialogErrorSlot, qs } from "./admin-kit";
import { BudgetNote } from "./budget";
import { balance, usd } from "./money";
import { DataTable, DialogButtons, DialogSlot, ListToolbar, Pager, RowMenu } from "./kit";
import type { UserView } from "./models";

const ROLE: Record<string, PlainKey> = { admin: "adminUsers.role.admin", user: "adminUsers.role.user" };

/** The row menu's actions on one user (none that would disable or delete oneself). */
function UserActions(props: { u: UserView; self: boolean; t: Translator }) {
  const { u } = props;
  const { t } = props.t;
  const open = (what: string) => ({ "hx-get": `/admin/users/${u.id}/${what}`, "hx-target": "#dialog-slot" });
  return (
    <RowMenu t={props.t}>
      <button type="button" {...open("topup")} safe>
        {t("adminUsers.topUp")}
      </button>
      <button type="button" {...open("budget")} safe>
        {t("adminUsers.budget")}
      </button>
      <button type="button" {...open("limits")} safe>
        {t("adminUsers.limits")}
      </button>
      <button type="button" {...open("tokens")} safe>
        {t("adminUsers.tokens")}
      </button>
      <a href={`/admin/logs${qs({ user: u.username })}`} safe>
        {t("adminUsers.logs")}
      </a>
      <button
        type="button"
        hx-put={`/admin/users/${u.id}/unlimited`}
        hx-vals={JSON.stringify({ unlimited: u.unlimited ? "0" : "1" })}
        hx-target={`#user-${u.id}`}
        hx-swap="outerHTML"
        safe
      >
        {t(u.unlimited ? "adminUsers.makeLimited" : "adminUsers.makeUnlimited")}
      </button>
      {props.self ? (
        ""
      ) : (
        <>
          <button
            type="button"
            hx-put={`/admin/users/${u.id}/status`}
            hx-vals={JSON.stringify({
              status: u.status === USER_STATUS.enabled ? USER_STATUS.disabled : USER_STATUS.enabled,
            })}
            hx-target={`#user-${u.id}`}
            hx-swap="outerHTML"
            safe
          >
            {t(u.status === USER_STATUS.enabled ? "adminUsers.disable" : "adminUsers.enable")}
          </button>
          <button
            type="button"
            class="danger"
            hx-delete={`/admin/users/${u.id}`}
            hx-confirm={t("adminUsers.deleteConfirm", { name: u.username })}
            hx-target={`#user-${u.id}`}
            hx-swap="outerHTML"
            safe
          >
            {t("adminUsers.delete")}
          </button>
        </>
      )}
    </RowMenu>
  );
}

export function UserRow(props: { u: UserView; self: boolean; t: Translator }) {
  const { u, t: tr } = props;
  const { t } = tr;
  const enabled = u.status === USER_STATUS.enabled;
  return (
    <tr id={`user-${u.id}`}>
      <td class="name">
        <span safe>{u.username}</span> <small class="muted">#{u.id}</small>
      </td>
      <td>
        <span class={`badge ${u.role === USER_ROLE.admin ? "accent" : "off"}`}>
          {ROLE[u.role] ? t(ROLE[u.role]!) : u.role}
        </span>
      </td>
      <td>
        <span class={`badge ${enabled ? "ok" : "off"}`} safe>
          {t(enabled ? "adminUsers.status.enabled" : "adminUsers.status.disabled")}
        </span>
      </td>
      <td
        class="num"
        title={u.unlimited ? t("adminUsers.storedBalance", { amount: usd(u.quota, false, tr) }) : undefined}
      >
        <span safe>{balance(u.quota, u.unlimited, tr)}</span>
        <BudgetNote b={u} t={tr} />
      </td>
      <td>
        {u.unlimited ? (
          <span class="badge accent" safe>
            {t("common.unlimited")}
          </span>
        ) : (
          <span class="muted" safe>
            {t("adminUsers.limited")}
          </span>
        )}
      </td>
      <td class="num" safe>
        {usd(u.used_quota, false, tr)}
      </td>
      <td class="num" safe>
        {tr.num(u.request_count)}
      </td>
      <td safe>{tr.date(u.created_at * 1000)}</td>
      <UserActions u={u} self={props.self} t={tr} />
    </tr>
  );
}

const COLUMNS: PlainKey[] = [
  "adminUsers.col.username",
  "adminUsers.col.role",
  "adminUsers.col.status",
  "adminUsers.col.balance",
  "adminUsers.col.unlimited",
  "adminUsers.col.used",
  "adminUsers.col.calls",
  "adminUsers.col.created",
];

export function UserTable(props: {
  path: string;
  rows: UserView[];
  selfId: number;
  total: number;
  page: number;
  size: number;
  keyword: string;
  t: Translator;
}) {
  const tr = props.t;
  const { t } = tr;
  return (
    <AdminPage path={props.path} t={props.t}>
      <ListToolbar
        title={t("adminUsers.title")}
        search={{ action: "/admin/users", placeholder: t("adminUsers.search"), value: props.keyword }}
        newUrl="/admin/users/new"
        t={tr}
      />
      <DataTable
        columns={[...COLUMNS.map((k) => t(k)), ""]}
        bodyId="user-rows"
        empty={
          props.rows.length === 0 && (
            <p class="empty" safe>
              {t("adminUsers.empty")}
            </p>
          )
        }
      >
        {props.rows.map((u) => (
          <UserRow u={u} self={u.id === props.selfId} t={tr} />
        ))}
      </DataTable>
      <Pager
        page={props.page}
        size={props.size}
        total={props.total}
        summary={(f) => t("adminUsers.pager", f)}
        t={tr}
        link={(p) => `/admin/users${qs({ p, keyword: props.keyword })}`}
      />
      <DialogSlot />
    </AdminPage>
  );
}

export function NewUserDialog(props: { t: Translator }) {
  const { t } = props.t;
  return (
    <dialog data-autoopen class="form-dialog">
      <form hx-post="/admin/users" hx-target="#admin-sink" hx-swap="none" autocomplete="off">
        <h2 safe>{t("adminUsers.new.title")}</h2>
        <label>
          <span safe>{t("adminUsers.new.username")}</span>
          <input
            name="username"
            required
            minlength="3"
            maxlength="32"
            pattern="[A-Za-z0-9_.\-]{3,32}"
            autocomplete="off"
          />
        </label>
        <label>
          <span safe>{t("adminUsers.new.password")}</span>
          <input name="password" type="password" required minlength="8" maxlength="128" autocomplete="new-password" />
        </label>
        <fieldset>
          <legend safe>{t("adminUsers.new.role")}</legend>
          <label class="radio">
            <input type="radio" name="role" value="user" checked /> <span safe>{t("adminUsers.new.roleUser")}</span>
          </label>
          <label class="radio">
            <input type="radio" name="role" value="admin" /> <span safe>{t("adminUsers.new.roleAdmin")}</span>
          </label>
        </fieldset>
        <DialogErrorSlot />
        <DialogButtons submit={t("common.create")} t={props.t} />
      </form>
    </dialog>
  );
}

/** A dialog that posts to `/admin/users/:id/<action>`: its title (naming the user), the inputs, the
 * error line (a refusal shows there, keeping what was typed) and the buttons. */
export function UserDialog(props: {
  u: UserView;
  action: string;
  title: string;
  submit: string;
  t: Translator;
  children: Children;
}) {
  return (
    <dialog data-autoopen class="form-dialog">
      <form hx-post={`/admin/users/${props.u.id}/${props.action}`} hx-target="#admin-sink" hx-swap="none">
        <h2 safe>{props.title}</h2>
        {props.children}
        <DialogErrorSlot />
        <DialogButtons submit={props.submit} t={props.t} />
      </form>
    </dialog>
  );
}

export function TopUpDialog(props: { u: UserView; t: Translator }) {
  const { u, t: tr } = props;
  const { t } = tr;
  const now = usd(u.quota, false, tr);
  return (
    <UserDialog
      u={u}
      action="topup"
      title={t("adminUsers.topup.title", { name: u.username })}
      submit={t("adminUsers.topUp")}
      t={tr}
    >
      <p class="muted" safe>
        {t(u.unlimited ? "adminUsers.topup.balanceUnlimited" : "adminUsers.topup.balance", { balance: now })}
      </p>
      <label>
        <span safe>{t("adminUsers.topup.amount", { symbol: tr.currency.symbol })}</span>
        <input name="amount_usd" inputmode="decimal" required placeholder={t("adminUsers.topup.placeholder")} />
      </label>
    </UserDialog>
  );
}

/** A user's rate limits, which cover all their tokens together. */
export function UserLimitsDialog(props: { u: UserView; limits: RateLimitForm; t: Translator }) {
  const { t } = props.t;
  return (
    <UserDialog
      u={props.u}
      action="limits"
      title={t("adminUsers.limits.title", { name: props.u.username })}
      submit={t("common.save")}
      t={props.t}
    >
      <RateLimitInputs values={props.limits} note={t("adminUsers.limits.note")} t={props.t} />
    </UserDialog>
  );
}
