/** @jsxImportSource @kitajs/html */
// /admin/groups: the table of groups (description, multiplier, user-selectable) and their dialog,
// every word from the reader's catalog. A multiplier is a factor ("×1.5"), not money.
import type { PlainKey, Translator } from "../../src/i18n";
import { NO_LIMITS_FORM, RateLimitInputs, rateLimitForm } from "./rate-limits";
import { AdminPage, DialogErrorSlot } from "./admin-kit";
import { DataTable, DialogButtons, DialogSlot, ListToolbar, RowButtons } from "./kit";
import type { GroupView } from "./models";

/** A row id safe in any selector: group names may hold "." */
export const groupRowId = (name: string) => `group-${Buffer.from(name).toString("hex")}`;

export function GroupRow(props: { g: GroupView; t: Translator }) {
  const g = props.g;
  const { t } = props.t;
  const pickable = g.selectable || g.name === "default";
  return (
    <tr id={groupRowId(g.name)}>
      <td class="name" safe>
        {g.name}
      </td>
      <td class="wrap" safe>
        {g.description}
      </td>
      <td class="num" safe>
        {`×${g.multiplier_text}`}
      </td>
      <td>
        <span class={`badge ${pickable ? "ok" : "off"}`} safe>
          {t(pickable ? "adminGroups.pick.users" : "adminGroups.pick.admins")}
        </span>
      </td>
      <RowButtons>
        <button type="button" hx-get={`/admin/groups/${encodeURIComponent(g.name)}/edit`} hx-target="#dialog-slot" safe>
          {t("adminGroups.edit")}
        </button>
        {g.name === "default" ? (
          ""
        ) : (
          <button
            type="button"
            class="danger"
            hx-delete={`/admin/groups/${encodeURIComponent(g.name)}`}
            hx-confirm={t("adminGroups.deleteConfirm", { name: g.name })}
            hx-target="closest tr"
            hx-swap="outerHTML"
            safe
          >
            {t("adminGroups.delete")}
          </button>
        )}
      </RowButtons>
    </tr>
  );
}

const COLUMNS: PlainKey[] = [
  "adminGroups.col.name",
  "adminGroups.col.description",
  "adminGroups.col.multiplier",
  "adminGroups.col.selectable",
];

export function GroupTable(props: { path: string; rows: GroupView[]; t: Translator }) {
  const tr = props.t;
  const { t } = tr;
  return (
    <AdminPage path={props.path} t={props.t}>
      <ListToolbar title={t("adminGroups.title")} newUrl="/admin/groups/new" t={tr}>
        <span class="spacer"></span>
      </ListToolbar>
      <p class="muted" safe>
        {t("adminGroups.intro")}
      </p>
      <DataTable columns={[...COLUMNS.map((k) => t(k)), ""]} bodyId="group-rows">
        {props.rows.map((g) => (
          <GroupRow g={g} t={tr} />
        ))}
      </DataTable>
      <DialogSlot />
    </AdminPage>
  );
}

export function GroupDialog(props: { g?: GroupView; t: Translator }) {
  const g = props.g;
  const tr = props.t;
  const { t } = tr;
  return (
    <dialog data-autoopen class="form-dialog">
      <form
        hx-post={g ? `/admin/groups/${encodeURIComponent(g.name)}` : "/admin/groups"}
        hx-target="#admin-sink"
        hx-swap="none"
      >
        <h2 safe>{t(g ? "adminGroups.dialog.edit" : "adminGroups.dialog.new")}</h2>
        <label>
          <span safe>{t("adminGroups.dialog.name")}</span>
          {g ? (
            <input value={g.name} disabled />
          ) : (
            <input
              name="name"
              required
              maxlength="64"
              pattern="[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}"
              placeholder={t("adminGroups.dialog.namePlaceholder")}
            />
          )}
        </label>
        <label>
          <span safe>{t("adminGroups.dialog.description")}</span>
          <input name="description" maxlength="500" value={g?.description ?? ""} />
        </label>
        <label>
          <span safe>{t("adminGroups.dialog.multiplier")}</span>
          <input name="multiplier" inputmode="decimal" required value={g?.multiplier_text ?? "1"} />
        </label>
        <label class="check switch">
          <input type="hidden" name="selectable" value="0" />
          <input type="checkbox" role="switch" name="selectable" value="1" checked={g ? g.selectable : true} />{" "}
          <span safe>{t("adminGroups.dialog.selectable")}</span>
        </label>
        <RateLimitInputs
          values={g ? rateLimitForm(g) : NO_LIMITS_FORM}
          note={t("adminGroups.dialog.limitsNote")}
          t={tr}
        />
        <DialogErrorSlot />
        <DialogButtons submit={t(g ? "common.save" : "common.create")} t={tr} />
      </form>
    </dialog>
  );
}
