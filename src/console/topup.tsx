/** @jsxImportSource @kitajs/html */
// /topup for every signed-in user: redeem a code (services/topups: one credit per code, one message for
// every failure, the per-user and per-address limit) and the history of top-ups; admins see everyone's
// and may filter by username. In the reader's language and currency.
import {
  BalanceLine,
  RedeemForm as RedeemFormView,
  TopUpHistory,
  TopUpPage,
  type HistoryProps,
} from "../../views/console/topup";
import { isAdmin } from "../services/actor";
import { readPage } from "../services/paging";
import { redeem, topUpHistory } from "../services/topups";
import { getUser } from "../services/users";
import { isUserError } from "../errors";
import { errorText } from "../i18n/errors";
import { first, type ConsoleTable, type PageCall } from "./route";

type Reader = Pick<PageCall, "ctx" | "user" | "t">;

async function history({ ctx, user, t }: Reader, query: Record<string, string | undefined>): Promise<HistoryProps> {
  const paging = readPage({ p: query.p ?? "1", size: "20" });
  const name = (query.user ?? "").trim();
  const admin = isAdmin(user);
  const target = admin && name ? await ctx.store.users.byUsername(name) : undefined;
  const list = admin && name && !target ? { items: [], total: 0 } : await topUpHistory(ctx, user, paging, target?.id);
  return { rows: list.items, total: list.total, page: paging.p, size: paging.size, user: admin ? name : undefined, t };
}

export function topUpPages({ page, action }: ConsoleTable) {
  page("/topup", { title: ({ t }) => t("topup.title") }, async (call) => {
    const me = await getUser(call.ctx, call.user.id);
    return TopUpPage({
      quota: me.quota,
      unlimited: me.unlimited,
      history: await history(call, call.query),
      t: call.t,
    }) as string;
  });

  action("POST", "/topup/redeem", {}, async (call) => {
    const tr = call.t;
    // the form in the reader's language, whatever it says
    const RedeemForm = (p: { message: { ok: boolean; text: string } }) => RedeemFormView({ ...p, t: tr });
    try {
      const { quota, user } = await redeem(call.ctx, call.user, { key: first(call.form.key) }, call.ip);
      const text = tr.t("topup.redeem.added", { amount: tr.money(quota), balance: tr.money(user.quota) });
      return {
        html:
          (RedeemForm({ message: { ok: true, text } }) as string) +
          (BalanceLine({ quota: user.quota, unlimited: user.unlimited, oob: true, t: tr }) as string) +
          (TopUpHistory({
            ...(await history(call, Object.fromEntries(call.shown.searchParams))),
            oob: true,
          }) as string),
        toast: text,
      };
    } catch (e) {
      if (isUserError(e)) return { html: RedeemForm({ message: { ok: false, text: errorText(e, call.t) } }) as string };
      throw e;
    }
  });
}
