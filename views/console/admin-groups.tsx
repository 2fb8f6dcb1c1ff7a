/** @jsxImportSource @kitajs/html */
// /admin/groups: the table of groups (description, multiplier, user-selectable) and their dialog.
import { NO_LIMITS_FORM, RateLimitInputs, rateLimitForm } from "./rate-limits";
import { AdminPage, DialogErrorSlot } from "./admin-kit";
import { DataTable, DialogButtons, DialogSlot, ListToolbar, RowButtons } from "./kit";
import type { GroupView } from "./models";

/** A row id safe in any selector: group names may hold "." */
export const groupRowId = (name: string) => `group-${Buffer.from(name).toString("hex")}`;

export function GroupRow(props: { g: GroupView }) {
  const g = props.g;
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
        {g.selectable || g.name === "default" ? (
          <span class="badge ok">users may pick</span>
        ) : (
          <span class="badge off">admins only</span>
        )}
      </td>
      <RowButtons>
        <button type="button" hx-get={`/admin/groups/${encodeURIComponent(g.name)}/edit`} hx-target="#dialog-slot">
          Edit
        </button>
        {g.name === "default" ? (
          ""
        ) : (
          <button
            type="button"
            class="danger"
            hx-delete={`/admin/groups/${encodeURIComponent(g.name)}`}
            hx-confirm={`Delete the group "${g.name}"?`}
            hx-target="closest tr"
            hx-swap="outerHTML"
          >
            Delete
          </button>
        )}
      </RowButtons>
    </tr>
  );
}

const COLUMNS = ["Name", "Description", "Multiplier", "Selectable", ""];

export function GroupTable(props: { path: string; rows: GroupView[] }) {
  return (
    <AdminPage path={props.path}>
      <ListToolbar title="Groups" newUrl="/admin/groups/new">
        <span class="spacer"></span>
      </ListToolbar>
      <p class="muted">
        A group's multiplier scales the price of every call made through it. Users may pick the groups marked "users may
        pick" for their tokens (and always "default"); a group still used by a token or a channel cannot be deleted.
      </p>
      <DataTable columns={COLUMNS} bodyId="group-rows">
        {props.rows.map((g) => (
          <GroupRow g={g} />
        ))}
      </DataTable>
      <DialogSlot />
    </AdminPage>
  );
}

export function GroupDialog(props: { g?: GroupView }) {
  const g = props.g;
  return (
    <dialog data-autoopen class="form-dialog">
      <form
        hx-post={g ? `/admin/groups/${encodeURIComponent(g.name)}` : "/admin/groups"}
        hx-target="#admin-sink"
        hx-swap="none"
      >
        <h2>{g ? "Edit group" : "New group"}</h2>
        <label>
          Name
          {g ? (
            <input value={g.name} disabled />
          ) : (
            <input
              name="name"
              required
              maxlength="64"
              pattern="[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}"
              placeholder="e.g. vip"
            />
          )}
        </label>
        <label>
          Description
          <input name="description" maxlength="500" value={g?.description ?? ""} />
        </label>
        <label>
          Multiplier (1 = list price; up to 6 decimals)
          <input name="multiplier" inputmode="decimal" required value={g?.multiplier_text ?? "1"} />
        </label>
        <label class="check switch">
          <input type="hidden" name="selectable" value="0" />
          <input type="checkbox" role="switch" name="selectable" value="1" checked={g ? g.selectable : true} /> Users
          may pick it for their tokens
        </label>
        <RateLimitInputs
          values={g ? rateLimitForm(g) : NO_LIMITS_FORM}
          note="Defaults for each token in this group without a limit of its own (a user's own limit of a kind replaces the default for their tokens). Empty: none."
        />
        <DialogErrorSlot />
        <DialogButtons submit={g ? "Save" : "Create"} />
      </form>
    </dialog>
  );
}
