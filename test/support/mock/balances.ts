// Mock upstream, the account balance APIs an upstream may have, each in its provider's documented
// shape, all answering the balance of the settings (`balance`, default 42.5): one-api / new-api
// resellers (/v1/dashboard/billing/subscription and /usage), OpenRouter (/v1/credits, its base being
// …/api/v1), DeepSeek (/user/balance at the origin), SiliconFlow (/v1/user/info), Moonshot
// (/v1/users/me/balance). Keys are checked like any other request (401 for a key not accepted).
import { type Ctx, json } from "./core";

/** Spent so far, for the shapes that report a total and a usage (one-api, OpenRouter). */
const USED = 25;
const balanceOf = (ctx: Ctx) => ctx.s.balance ?? 42.5;

export const BALANCE_ROUTES: Record<string, (ctx: Ctx) => Response> = {
  "GET /v1/dashboard/billing/subscription": (ctx) =>
    json({
      object: "billing_subscription",
      has_payment_method: true,
      soft_limit_usd: balanceOf(ctx) + USED,
      hard_limit_usd: balanceOf(ctx) + USED,
      system_hard_limit_usd: balanceOf(ctx) + USED,
      access_until: 0,
    }),
  "GET /v1/dashboard/billing/usage": () => json({ object: "list", total_usage: USED * 100 }),
  "GET /v1/credits": (ctx) => json({ data: { total_credits: balanceOf(ctx) + USED, total_usage: USED } }),
  "GET /user/balance": (ctx) =>
    json({
      is_available: balanceOf(ctx) > 0,
      balance_infos: [
        {
          currency: "CNY",
          total_balance: balanceOf(ctx).toFixed(2),
          granted_balance: "0.00",
          topped_up_balance: balanceOf(ctx).toFixed(2),
        },
      ],
    }),
  "GET /v1/user/info": (ctx) =>
    json({
      code: 20000,
      message: "OK",
      status: true,
      data: {
        id: "userid",
        name: "mock",
        balance: "0.00",
        status: "normal",
        chargeBalance: String(balanceOf(ctx)),
        totalBalance: String(balanceOf(ctx)),
      },
    }),
  "GET /v1/users/me/balance": (ctx) =>
    json({
      code: 0,
      data: { available_balance: balanceOf(ctx), voucher_balance: 0, cash_balance: balanceOf(ctx) },
      scode: "0x0",
      status: true,
    }),
};
