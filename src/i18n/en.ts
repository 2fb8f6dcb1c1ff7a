// The console's English messages: the reference catalog. Every other language is one more file
// (zh-CN.ts) typed against this one, so a key missing there is a type error; index.ts lists them.
// Templates name their parameters in braces ("Page {page} of {pages}"); the translator fills them
// (numbers grouped in the reader's locale). Never build a sentence by concatenating pieces.
//
// Glossary (the terms API易 and new-api users know; keep both languages consistent):
//   token 令牌 · group 分组 · multiplier 倍率 · quota 额度 · balance 余额 · channel 渠道
//   usage billing 按量计费 · per-call billing 按次计费 · logs 日志 · redemption code 兑换码
//   top up 充值 · model 模型 · key 密钥 · rate limit 速率限制 · dashboard 仪表盘 · pricing 价格
import { enErrors } from "./en-errors";

export const en = {
  "lang.label": "Language",

  "nav.dashboard": "Dashboard",
  "nav.tokens": "Tokens",
  "nav.logs": "Logs",
  "nav.topup": "Top up",
  "nav.groups": "Groups",
  "nav.pricing": "Pricing",
  "nav.account": "Account",
  "nav.admin": "Admin",
  "nav.admin.dashboard": "Dashboard",
  "nav.admin.channels": "Channels",
  "nav.admin.users": "Users",
  "nav.admin.codes": "Codes",
  "nav.admin.groups": "Groups",
  "nav.admin.prices": "Prices",
  "nav.admin.logs": "All logs",
  "nav.admin.settings": "Settings",
  "nav.signOut": "Sign out",
  "page.title": "{title} · apiyi",
  "forbidden.title": "Not allowed",
  "forbidden.body": "This page is for admins.",
  "banner.lowBalance":
    "Your balance is {balance}, below your alert threshold of {threshold}. Ask an admin to top it up.",
  "toast.copied": "Copied",
  "toast.keyUnreadable": "Could not read the key",
  "copy.manual": "The browser refused the clipboard. Copy it by hand:",
  "copy.manual.key": "The browser refused the clipboard. Copy the key by hand:",

  "common.new": "New",
  "common.cancel": "Cancel",
  "common.done": "Done",
  "common.save": "Save",
  "common.create": "Create",
  "common.copy": "Copy",
  "common.actions": "Actions",
  "common.never": "never",
  "common.none": "— none —",
  "common.unlimited": "unlimited",
  "pager.previous": "← Previous",
  "pager.next": "Next →",

  "login.title": "Sign in",
  "login.lead": "Sign in to manage your API keys.",
  "login.username": "Username",
  "login.password": "Password",
  "login.submit": "Sign in",
  "login.noAccount": "No account?",
  "login.signUp": "Sign up",
  "login.wrong": "wrong username or password",
  "login.disabled": "this account is disabled",
  "login.tooManyAddress": "too many failed sign-ins from your address; retry in {seconds} s",
  "login.tooManyAccount":
    "this account has had many failed sign-ins lately, so each try waits a while; retry in {seconds} s",
  "login.refused": "refused: sign in from this site's own page",
  "register.title": "Sign up",
  "register.heading": "Create an account",
  "register.password": "Password (at least 8 characters)",
  "register.submit": "Sign up",
  "register.haveAccount": "Have an account?",
  "register.signIn": "Sign in",
  "register.refused": "refused: sign up from this site's own page",
  "register.taken": "that username is taken",

  "tokens.title": "Tokens",
  "tokens.search": "Search by name",
  "tokens.empty": "No tokens yet — click New.",
  "tokens.pager": "Page {page} of {pages} · {total} tokens",
  "tokens.col.name": "Name",
  "tokens.col.key": "Key",
  "tokens.col.status": "Status",
  "tokens.col.group": "Group",
  "tokens.col.remaining": "Remaining",
  "tokens.col.used": "Used",
  "tokens.col.expires": "Expires",
  "tokens.col.billing": "Billing",
  "tokens.col.models": "Models",
  "tokens.col.created": "Created",
  "tokens.col.lastUsed": "Last used",
  "tokens.status.enabled": "enabled",
  "tokens.status.disabled": "disabled",
  "tokens.status.expired": "expired",
  "tokens.status.exhausted": "exhausted",
  "tokens.models.all": "all",
  "tokens.models.count": "{count} models",
  "tokens.copyKey.title": "Copy the full key",
  "tokens.copyKey.label": "Copy key",
  "tokens.enable": "Enable",
  "tokens.disable": "Disable",
  "tokens.edit": "Edit",
  "tokens.example": "Request example",
  "tokens.logs": "Token logs",
  "tokens.share": "Share",
  "tokens.delete": "Delete",
  "tokens.deleteConfirm": "Delete this token? Calls with its key will fail from then on.",
  "tokens.toast.created": "Token created",
  "tokens.toast.saved": "Saved",
  "tokens.toast.enabled": "Enabled",
  "tokens.toast.disabled": "Disabled",
  "tokens.toast.deleted": "Deleted",
  "tokens.quotaHint": "enter an amount above $0, or tick Unlimited (the token then spends up to your balance)",
  "tokens.notADate": "is not a date",

  "billing.usage": "usage",
  "billing.per_call": "per call",
  "billing.usage_first": "usage first",
  "billing.per_call_first": "call first",
  "billing.mode.usage_first": "Usage first (recommended): by tokens where the model has token prices, else per call",
  "billing.mode.usage": "Pay per usage: by tokens only; models priced only per call are refused",
  "billing.mode.per_call": "Pay per call: a fixed price per call; models priced only by tokens are refused",
  "billing.mode.per_call_first": "Call first: per call where the model has a per-call price, else by tokens",

  "budget.note": "of {amount} {period} · resets in {duration}",
  "budget.daily": "daily",
  "budget.weekly": "weekly",
  "budget.monthly": "monthly",
  "budget.pick.never": "never",
  "budget.pick.daily": "daily (midnight)",
  "budget.pick.weekly": "weekly (Monday)",
  "budget.pick.monthly": "monthly (the 1st)",
  "duration.days": "{n} d",
  "duration.hours": "{n} h",
  "duration.minutes": "{n} min",

  "limits.summary": "Advanced: rate limits",
  "limits.rpm": "Requests per minute",
  "limits.tpm": "Tokens per minute",
  "limits.rpd": "Requests per day",
  "limits.parallel": "Calls at once",
  "limits.notSet": "not set",

  "tokenDialog.new": "New token",
  "tokenDialog.edit": "Edit token",
  "tokenDialog.name": "Name",
  "tokenDialog.quota": "Quota ($)",
  "tokenDialog.quotaPlaceholder": "e.g. 10",
  "tokenDialog.unlimited": "Unlimited",
  "tokenDialog.upToBalance": "(up to your balance)",
  "tokenDialog.resets": "Resets",
  "tokenDialog.expires": "Expires",
  "tokenDialog.never": "Never",
  "tokenDialog.oneDay": "1 day",
  "tokenDialog.oneMonth": "1 month",
  "tokenDialog.oneYear": "1 year",
  "tokenDialog.billingMode": "Billing mode",
  "tokenDialog.group": "Group",
  "tokenDialog.fallback1": "Fallback 1",
  "tokenDialog.fallback2": "Fallback 2",
  "tokenDialog.models": "Models (none selected = every model)",
  "tokenDialog.filterModels": "Filter models",
  "tokenDialog.allowIps": "IP allowlist (IPs or CIDRs, one per line; empty = any)",
  "tokenDialog.limitsNote": "Empty: the default of the token's group, if it has one (unless your account has its own).",
  "newKey.title": "Token created",
  "newKey.body": "Copy the key of {name} now; it stays available from the copy icon later.",
  "extras.close": "Close",
  "extras.statusNote": "This token is {status}: calls with its key fail until that changes.",
  "extras.address": "Address: {url} (the server's public URL setting).",
  "extras.noAddress.snippets":
    "This server's public address is not set, so the snippets say {placeholder}: put the address your clients reach this server at in its place (for a server on this computer, {local}).",
  "extras.noAddress.share":
    "This server's public address is not set, so the one-click links are off and the block below says {placeholder}: put the address your clients reach this server at in its place (for a server on this computer, {local}).",
  "extras.noAddress.admin":
    "Set it once under Admin → Settings (public_url), or start the server with --public-url https://api.example.com.",
  "extras.noAddress.user": "Ask an admin to set the public URL (Admin → Settings, or --public-url).",
  "extras.example.title": "Request example",
  "extras.model": "Model",
  "extras.noModel":
    "This token cannot call any model right now: no enabled channel in its groups serves a model that its whitelist allows and its billing mode can bill. The snippets say {placeholder}.",
  "extras.share.title": "Share / one-click setup",
  "extras.open": "Open",
  "extras.copyLink": "Copy link",
  "extras.block.title": "Base URL + key",
  "extras.block.openai": "Base URL (OpenAI-compatible): {url}",
  "extras.block.anthropic": "Base URL (Anthropic, Claude Code): {url}",
  "extras.block.key": "API key: {key}",
  "extras.shareWarning":
    "Anyone with these links or this key can spend the token's quota. Share them only with people you trust.",
  "extras.snippet.codexConfig": "Codex CLI: ~/.codex/config.toml",
  "extras.snippet.codexShell": "Codex CLI: then, in your shell",
  "extras.note.claudeTranslated":
    "This token reaches no Claude model, so Claude Code is pointed at {model}: apiyi translates its calls.",
  "extras.note.claudeNone": "This token reaches no model Claude Code could use right now.",
  "extras.note.codex":
    "Codex sends tools only the Responses API knows: the model needs a channel that speaks it (an openai channel with supports_responses).",
  "extras.note.gemini": "Gemini CLI also needs API-key sign-in chosen in ~/.gemini/settings.json: {json}",
  "extras.link.cherry": "desktop: adds apiyi as a provider",
  "extras.link.lobechat": "web: opens LobeChat's public site with the key filled in (the key travels in the link)",
  "extras.link.ama": "desktop and mobile",
  "extras.link.opencat": "iOS and macOS: joins this server as a team",
  "extras.link.nextchat": "web: a NextChat served at this server's public address",
  "extras.link.ccClaude": "desktop: a Claude Code provider",
  "extras.link.ccCodex": "desktop: a Codex provider (…/v1)",
  "extras.link.ccGemini": "desktop: a Gemini CLI provider",

  // ── errors ──
  ...enErrors, // the refusals: en-errors.ts
  // ── end errors ──

  // ── user pages ──
  // ── end user pages ──

  // ── admin A ──
  // ── end admin A ──

  // ── admin B ──
  // ── end admin B ──

  // ── money and time ──
  // ── end money and time ──

  // ── notifications ──
  // ── end notifications ──
} as const;
