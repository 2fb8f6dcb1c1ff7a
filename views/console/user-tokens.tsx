/** @jsxImportSource @kitajs/html */
// /admin/users: the dialog listing one user's tokens (masked keys only), in the reader's language,
// amounts in their currency and dates in their time zone.
import type { PlainKey, Translator } from "../../src/i18n";
import { qs } from "./admin-kit";
import { DataTable, Rich } from "./kit";
import { balance, usd } from "./money";
import type { TokenView, UserView } from "./models";
import { TokenStatus } from "./tokens";

const TOKEN_COLUMNS: PlainKey[] = [
  "tokens.col.name",
  "tokens.col.key",
  "tokens.col.status",
  "tokens.col.group",
  "tokens.col.remaining",
  "tokens.col.used",
  "tokens.col.expires",
  "tokens.col.lastUsed",
];

function UserTokenRow(props: { k: TokenView; t: Translator }) {
  const { k, t: tr } = props;
  return (
    <tr>
      <td class="name" safe>
        {k.name}
      </td>
      <td>
        <code safe>{k.key}</code>
      </td>
      <td>
        <TokenStatus status={k.status} t={tr} />
      </td>
      <td safe>{[k.group, ...k.fallback_groups].join(" → ")}</td>
      <td safe>{balance(k.remain_quota, k.unlimited_quota, tr)}</td>
      <td safe>{usd(k.used_quota, false, tr)}</td>
      <td safe>{k.expired_time === -1 ? tr.t("common.never") : tr.date(k.expired_time * 1000)}</td>
      <td>{k.accessed_time ? tr.dateTime(k.accessed_time * 1000) : "—"}</td>
    </tr>
  );
}

export function UserTokensDialog(props: { u: UserView; tokens: TokenView[]; total: number; t: Translator }) {
  const tr = props.t;
  const { t } = tr;
  const name = (<span safe>{props.u.username}</span>) as string;
  return (
    <dialog data-autoopen class="form-dialog wide">
      <h2>
        <Rich t={tr} k="adminUsers.tokens.title" parts={{ name }} />
      </h2>
      {props.tokens.length === 0 ? (
        <p class="empty" safe>
          {t("adminUsers.tokens.none")}
        </p>
      ) : (
        <DataTable columns={TOKEN_COLUMNS.map((k) => t(k))}>
          {props.tokens.map((k) => (
            <UserTokenRow k={k} t={tr} />
          ))}
        </DataTable>
      )}
      {props.total > props.tokens.length ? (
        <p class="muted" safe>
          {t("adminUsers.tokens.showing", { shown: props.tokens.length, total: props.total })}
        </p>
      ) : (
        ""
      )}
      <div class="buttons">
        <a href={`/admin/logs${qs({ user: props.u.username })}`} safe>
          {t("adminUsers.tokens.theirLogs")}
        </a>
        <button type="button" data-close safe>
          {t("adminUsers.tokens.close")}
        </button>
      </div>
    </dialog>
  );
}
