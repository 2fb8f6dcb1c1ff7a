/** @jsxImportSource @kitajs/html */
// /admin/groups: create, edit (description, multiplier, selectable) and delete groups. A group still
// in use is refused by services/groups; that refusal reaches the admin as an error toast. Every word
// is in the reader's language.
import { readRateLimits } from "./rate-limit-form";
import { GroupDialog, GroupRow, GroupTable } from "../../views/console/admin-groups";
import { keyed, notFound } from "../errors";
import type { Actor } from "../services/actor";
import type { Ctx } from "../services/context";
import { createGroup, deleteGroup, listGroups, updateGroup } from "../services/groups";
import { checked, fromDialog, oobNewRow, oobRow, type AdminTable } from "./admin-kit";
import { first, type Form } from "./route";

async function findGroup(ctx: Ctx, actor: Actor, name: string) {
  const g = (await listGroups(ctx, actor)).items.find((x) => x.name === name);
  if (!g) throw notFound(keyed("error.group.notFound", { group: name }));
  return g;
}

const fields = (f: Form) => ({
  description: first(f.description),
  multiplier: first(f.multiplier).trim(),
  selectable: checked(f, "selectable"),
  ...readRateLimits(f),
});

export function adminGroupPages({ page, action, fragment }: AdminTable) {
  page(
    "/admin/groups",
    { title: ({ t }) => t("adminGroups.title"), admin: true },
    async ({ ctx, user, path, t }) => GroupTable({ path, rows: (await listGroups(ctx, user)).items, t }) as string,
  );
  fragment("/admin/groups/new", ({ t }) => GroupDialog({ t }) as string);
  fragment(
    "/admin/groups/:name/edit",
    async ({ ctx, user, params, t }) => GroupDialog({ g: await findGroup(ctx, user, params.name), t }) as string,
  );

  action("POST", "/admin/groups", { admin: true }, ({ ctx, form, t }) =>
    fromDialog(async () => {
      const g = await createGroup(ctx, { name: first(form.name).trim(), ...fields(form) });
      return {
        html: oobNewRow("group-rows", GroupRow({ g, t }) as string, "beforeend"),
        toast: t.t("adminGroups.toast.created", { name: g.name }),
        closeDialog: true,
      };
    }),
  );
  action("POST", "/admin/groups/:name", { admin: true }, ({ ctx, form, params, t }) =>
    fromDialog(async () => {
      const g = await updateGroup(ctx, params.name, fields(form));
      return { html: oobRow(GroupRow({ g, t }) as string), toast: t.t("adminGroups.toast.saved"), closeDialog: true };
    }),
  );
  action("DELETE", "/admin/groups/:name", { admin: true }, async ({ ctx, params, t }) => {
    await deleteGroup(ctx, params.name);
    return { html: "", toast: t.t("adminGroups.toast.deleted", { name: params.name }) };
  });
}
