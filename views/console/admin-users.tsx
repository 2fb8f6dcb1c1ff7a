/** @jsxImportSource @kitajs/html */
// /admin/users: the table of accounts (balance and its budget, unlimited, role, status), the New
// user and Top up dialogs, and a user's tokens (masked keys only). The Budget dialog: user-budget.tsx.
import type { Children } from "@kitajs/html";
import { type RateLimitForm, RateLimitInputs } from "./rate-limits";
import { USER_ROLE, USER_STATUS } from "../../src/core/status";
import { AdminPage, DialogErrorSlot, qs, utc } from "./admin-kit";
import { BudgetNote } from "./budget";
import { balance, usd } from "./money";
import { DataTable, DialogButtons, DialogSlot, ListToolbar, Pager, RowMenu } from "./kit";
import type { TokenView, UserView } from "./models";
import { TokenStatus } from "./tokens";

export function UserRow(props: { u: UserView; self: boolean }) {
  const u = props.u;
  return (
    <tr id={`user-${u.id}`}>
      <td class="name">
        <span safe>{u.username}</span> <small class="muted">#{u.id}</small>
      </td>
      <td>
        <span class={`badge ${u.role === USER_ROLE.admin ? "accent" : "off"}`}>{u.role}</span>
      </td>
      <td>
        {u.status === USER_STATUS.enabled ? (
          <span class="badge ok">enabled</span>
        ) : (
          <span class="badge off">disabled</span>
        )}
      </td>
      <td
        class="num"
        title={
          u.unlimited ? `stored balance ${usd(u.quota)}: it applies again if the account is made limited` : undefined
        }
      >
        <span safe>{balance(u.quota, u.unlimited)}</span>
        <BudgetNote b={u} />
      </td>
      <td>{u.unlimited ? <span class="badge accent">unlimited</span> : <span class="muted">no</span>}</td>
      <td class="num" safe>
        {usd(u.used_quota)}
      </td>
      <td class="num">{u.request_count}</td>
      <td safe>{utc(u.created_at).slice(0, 10)}</td>
      <RowMenu>
        <button type="button" hx-get={`/admin/users/${u.id}/topup`} hx-target="#dialog-slot">
          Top up
        </button>
        <button type="button" hx-get={`/admin/users/${u.id}/budget`} hx-target="#dialog-slot">
          Budget
        </button>
        <button type="button" hx-get={`/admin/users/${u.id}/limits`} hx-target="#dialog-slot">
          Rate limits
        </button>
        <button type="button" hx-get={`/admin/users/${u.id}/tokens`} hx-target="#dialog-slot">
          Tokens
        </button>
        <a href={`/admin/logs${qs({ user: u.username })}`}>Logs</a>
        <button
          type="button"
          hx-put={`/admin/users/${u.id}/unlimited`}
          hx-vals={JSON.stringify({ unlimited: u.unlimited ? "0" : "1" })}
          hx-target={`#user-${u.id}`}
          hx-swap="outerHTML"
        >
          {u.unlimited ? "Make limited" : "Make unlimited"}
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
            >
              {u.status === USER_STATUS.enabled ? "Disable" : "Enable"}
            </button>
            <button
              type="button"
              class="danger"
              hx-delete={`/admin/users/${u.id}`}
              hx-confirm={`Delete the user "${u.username}" and all their tokens?`}
              hx-target={`#user-${u.id}`}
              hx-swap="outerHTML"
            >
              Delete
            </button>
          </>
        )}
      </RowMenu>
    </tr>
  );
}

const COLUMNS = ["Username", "Role", "Status", "Balance", "Unlimited", "Used", "Calls", "Created", ""];

export function UserTable(props: {
  path: string;
  rows: UserView[];
  selfId: number;
  total: number;
  page: number;
  size: number;
  keyword: string;
}) {
  return (
    <AdminPage path={props.path}>
      <ListToolbar
        title="Users"
        search={{ action: "/admin/users", placeholder: "Search by username", value: props.keyword }}
        newUrl="/admin/users/new"
      />
      <DataTable
        columns={COLUMNS}
        bodyId="user-rows"
        empty={props.rows.length === 0 && <p class="empty">No user matches — clear the search, or click New.</p>}
      >
        {props.rows.map((u) => (
          <UserRow u={u} self={u.id === props.selfId} />
        ))}
      </DataTable>
      <Pager
        page={props.page}
        size={props.size}
        total={props.total}
        noun="users"
        link={(p) => `/admin/users${qs({ p, keyword: props.keyword })}`}
      />
      <DialogSlot />
    </AdminPage>
  );
}

export function NewUserDialog() {
  return (
    <dialog data-autoopen class="form-dialog">
      <form hx-post="/admin/users" hx-target="#admin-sink" hx-swap="none" autocomplete="off">
        <h2>New user</h2>
        <label>
          Username
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
          Password (at least 8 characters)
          <input name="password" type="password" required minlength="8" maxlength="128" autocomplete="new-password" />
        </label>
        <fieldset>
          <legend>Role</legend>
          <label class="radio">
            <input type="radio" name="role" value="user" checked /> User
          </label>
          <label class="radio">
            <input type="radio" name="role" value="admin" /> Admin: may open these pages and change everything
          </label>
        </fieldset>
        <DialogErrorSlot />
        <DialogButtons submit="Create" />
      </form>
    </dialog>
  );
}

/** A dialog that posts to `/admin/users/:id/<action>`: "<title> <username>", the inputs, the error
 * line (a refusal shows there, keeping what was typed) and the buttons. */
export function UserDialog(props: { u: UserView; action: string; title: string; submit: string; children: Children }) {
  const u = props.u;
  return (
    <dialog data-autoopen class="form-dialog">
      <form hx-post={`/admin/users/${u.id}/${props.action}`} hx-target="#admin-sink" hx-swap="none">
        <h2 safe>{`${props.title} ${u.username}`}</h2>
        {props.children}
        <DialogErrorSlot />
        <DialogButtons submit={props.submit} />
      </form>
    </dialog>
  );
}

export function TopUpDialog(props: { u: UserView }) {
  const u = props.u;
  return (
    <UserDialog u={u} action="topup" title="Top up" submit="Top up">
      <p class="muted" safe>
        {`Balance now: ${usd(u.quota)}${u.unlimited ? " (unlimited: calls do not spend it)" : ""}. The top-up is written to the user's logs.`}
      </p>
      <label>
        Amount ($)
        <input name="amount_usd" inputmode="decimal" required placeholder="e.g. 10" />
      </label>
    </UserDialog>
  );
}

/** A user's rate limits, which cover all their tokens together. */
export function UserLimitsDialog(props: { u: UserView; limits: RateLimitForm }) {
  return (
    <UserDialog u={props.u} action="limits" title="Rate limits of" submit="Save">
      <RateLimitInputs
        values={props.limits}
        note="These cover all the user's tokens together; each token may have its own as well. Empty: no limit (and the tokens' groups' defaults apply to each token)."
      />
    </UserDialog>
  );
}

const lastUsed = (t: TokenView) => (t.accessed_time ? utc(t.accessed_time) : "—");
const TOKEN_COLUMNS = ["Name", "Key", "Status", "Group", "Remaining", "Used", "Expires", "Last used"];

export function UserTokensDialog(props: { u: UserView; tokens: TokenView[]; total: number }) {
  return (
    <dialog data-autoopen class="form-dialog wide">
      <h2>
        Tokens of <span safe>{props.u.username}</span>
      </h2>
      {props.tokens.length === 0 ? (
        <p class="empty">This user has no tokens.</p>
      ) : (
        <DataTable columns={TOKEN_COLUMNS}>
          {props.tokens.map((t) => (
            <tr>
              <td class="name" safe>
                {t.name}
              </td>
              <td>
                <code safe>{t.key}</code>
              </td>
              <td>
                <TokenStatus status={t.status} />
              </td>
              <td safe>{[t.group, ...t.fallback_groups].join(" → ")}</td>
              <td safe>{balance(t.remain_quota, t.unlimited_quota)}</td>
              <td safe>{usd(t.used_quota)}</td>
              <td safe>{t.expired_time === -1 ? "never" : utc(t.expired_time).slice(0, 10)}</td>
              <td safe>{lastUsed(t)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {props.total > props.tokens.length ? (
        <p class="muted" safe>{`Showing ${props.tokens.length} of ${props.total}.`}</p>
      ) : (
        ""
      )}
      <div class="buttons">
        <a href={`/admin/logs${qs({ user: props.u.username })}`}>Their logs</a>
        <button type="button" data-close>
          Close
        </button>
      </div>
    </dialog>
  );
}
