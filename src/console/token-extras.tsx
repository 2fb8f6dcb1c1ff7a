/** @jsxImportSource @kitajs/html */
// Two dialogs of the /token wrench menu, for the token's owner only: "Request example" (ready-to-run
// snippets: curl, Python and Node `openai`, Claude Code, Codex CLI, Gemini CLI; video jobs when the
// token reaches a video model: console/video-snippets.ts) and "Share" (one-click deep links
// for client apps, each in the app's own import format: shareLinks below is where they are written down,
// and test/e2e/console/token-extras.test.ts decodes each one; plus a copyable base URL + key). Both use the
// server's public address from the `public_url` setting, never the request's Host header (a client
// controls that header, and a link built from it would send the key wherever the client pointed).
import { ExampleDialog, ShareDialog, type ShareLink, type Snippet } from "../../views/console/token-extras";
import { decideBilling } from "../core/billing";
import { reachableModels } from "../core/routing";
import type { BillingMode } from "../core/token-rules";
import { USER_ROLE } from "../core/status";
import { AppError, keyed, notFound } from "../errors";
import { EN, type Translator } from "../i18n";
import { readSettings } from "../services/settings";
import { getToken, revealKey } from "../services/tokens";
import type { consoleTable, PageCall } from "./route";
import { lit, sh } from "./snippet-quote";
import { videoSnippets } from "./video-snippets";

/** What snippets show in place of the address while `public_url` is not set. */
export const ADDRESS_PLACEHOLDER = "YOUR_APIYI_URL";
/** Where the LobeChat link opens (LobeChat's public instance; its `settings` parameter pre-fills the key). */
export const LOBECHAT_URL = "https://chat-preview.lobehub.com";

/** Models that answer chat/responses calls: the default for snippets skips image, embedding and audio models. */
const chatLike = (m: string) =>
  !/(embedding|dall-e|image|imagen|tts|whisper|sora|veo|midjourney|rerank|moderation)/i.test(m);
const pick = (models: string[], prefer: RegExp) =>
  models.find((m) => prefer.test(m) && chatLike(m)) ?? models.find(chatLike) ?? models[0] ?? null;

/** `tr`: the reader's language for titles and notes (the snippets are code and stay as they are). */
export function snippets(base: string, key: string, model: string, models: string[], tr: Translator = EN): Snippet[] {
  const v1 = `${base}/v1`;
  // Claude Code works with any chat model through translation; a Claude model is preferred
  const claudeModel = models.find((m) => /claude/i.test(m) && chatLike(m));
  const claude = claudeModel ?? (models.includes(model) && chatLike(model) ? model : undefined);
  const codex =
    models.includes(model) && /^(gpt|o\d|codex)/i.test(model) ? model : (pick(models, /^(gpt|o\d|codex)/i) ?? model);
  const gemini = models.includes(model) && /gemini/i.test(model) ? model : (pick(models, /gemini/i) ?? model);
  const body = JSON.stringify({ model, messages: [{ role: "user", content: "Hello!" }] });
  return [
    {
      id: "curl",
      title: "curl",
      text: [
        `curl ${sh(`${v1}/chat/completions`)} \\`,
        `  -H ${sh(`Authorization: Bearer ${key}`)} \\`,
        `  -H 'Content-Type: application/json' \\`,
        `  -d ${sh(body)}`,
      ].join("\n"),
    },
    {
      id: "python",
      title: "Python (pip install openai)",
      text: [
        "from openai import OpenAI",
        "",
        `client = OpenAI(base_url=${lit(v1)}, api_key=${lit(key)})`,
        "resp = client.chat.completions.create(",
        `    model=${lit(model)},`,
        `    messages=[{"role": "user", "content": "Hello!"}],`,
        ")",
        "print(resp.choices[0].message.content)",
      ].join("\n"),
    },
    {
      id: "node",
      title: "Node (npm install openai)",
      text: [
        'import OpenAI from "openai";',
        "",
        `const client = new OpenAI({ baseURL: ${lit(v1)}, apiKey: ${lit(key)} });`,
        "const resp = await client.chat.completions.create({",
        `  model: ${lit(model)},`,
        '  messages: [{ role: "user", content: "Hello!" }],',
        "});",
        "console.log(resp.choices[0].message.content);",
      ].join("\n"),
    },
    {
      id: "claude-code",
      title: "Claude Code",
      note: claudeModel
        ? undefined
        : claude
          ? tr.t("extras.note.claudeTranslated", { model: claude })
          : tr.t("extras.note.claudeNone"),
      text: [
        `export ANTHROPIC_BASE_URL=${sh(base)}`,
        `export ANTHROPIC_AUTH_TOKEN=${sh(key)}`,
        ...(claude ? [`export ANTHROPIC_MODEL=${sh(claude)}`] : []),
        "claude",
      ].join("\n"),
    },
    {
      id: "codex-config",
      title: tr.t("extras.snippet.codexConfig"),
      text: [
        `model = ${lit(codex)}`,
        'model_provider = "apiyi"',
        "",
        "[model_providers.apiyi]",
        'name = "apiyi"',
        `base_url = ${lit(v1)}`,
        'env_key = "APIYI_API_KEY"',
        'wire_api = "responses"',
      ].join("\n"),
    },
    {
      id: "codex-env",
      title: tr.t("extras.snippet.codexShell"),
      note: tr.t("extras.note.codex"),
      text: [`export APIYI_API_KEY=${sh(key)}`, "codex"].join("\n"),
    },
    {
      id: "gemini-cli",
      title: "Gemini CLI",
      note: tr.t("extras.note.gemini", { json: '{"security":{"auth":{"selectedType":"gemini-api-key"}}}' }),
      text: [
        `export GOOGLE_GEMINI_BASE_URL=${sh(base)}`,
        `export GEMINI_API_KEY=${sh(key)}`,
        `gemini -m ${sh(gemini)}`,
      ].join("\n"),
    },
  ];
}

const enc = encodeURIComponent;

/** One-click links, one per client app in that app's own import format (Cherry Studio's base64 provider,
 * LobeChat's settings JSON, AMA's and OpenCat's query strings, NextChat's settings hash, CC Switch's import
 * URL); `address` is the server root, without /v1. */
export function shareLinks(
  address: string,
  key: string,
  name: string,
  model: string | null,
  { t }: Translator = EN,
): ShareLink[] {
  const cherry = Buffer.from(
    JSON.stringify({ id: "apiyi", name: "apiyi", type: "openai", baseUrl: address, apiKey: key }),
  ).toString("base64");
  const lobe = JSON.stringify({ keyVaults: { openai: { apiKey: key, baseURL: `${address}/v1` } } });
  const ccSwitch = (app: "claude" | "codex" | "gemini", endpoint: string) => {
    const params = new URLSearchParams({
      resource: "provider",
      app,
      name: `apiyi (${name})`,
      homepage: address,
      endpoint,
      apiKey: key,
    });
    if (model && app === "codex") params.set("model", model);
    return `ccswitch://v1/import?${params}`;
  };
  return [
    {
      id: "cherry-studio",
      app: "Cherry Studio",
      what: t("extras.link.cherry"),
      href: `cherrystudio://providers/api-keys?v=1&data=${enc(cherry)}`,
    },
    {
      id: "lobechat",
      app: "LobeChat",
      what: t("extras.link.lobechat"),
      href: `${LOBECHAT_URL}/?settings=${enc(lobe)}`,
      web: true,
    },
    {
      id: "ama",
      app: "AMA",
      what: t("extras.link.ama"),
      href: `ama://set-api-key?server=${enc(address)}&key=${enc(key)}`,
    },
    {
      id: "opencat",
      app: "OpenCat",
      what: t("extras.link.opencat"),
      href: `opencat://team/join?domain=${enc(address)}&token=${enc(key)}`,
    },
    {
      id: "nextchat",
      app: "NextChat",
      what: t("extras.link.nextchat"),
      href: `${address}/#/?settings=${enc(JSON.stringify({ key, url: address }))}`,
      web: true,
    },
    {
      id: "ccswitch-claude",
      app: "CC Switch: Claude Code",
      what: t("extras.link.ccClaude"),
      href: ccSwitch("claude", address),
    },
    {
      id: "ccswitch-codex",
      app: "CC Switch: Codex",
      what: t("extras.link.ccCodex"),
      href: ccSwitch("codex", `${address}/v1`),
    },
    {
      id: "ccswitch-gemini",
      app: "CC Switch: Gemini CLI",
      what: t("extras.link.ccGemini"),
      href: ccSwitch("gemini", address),
    },
  ];
}

/** The caller's own token with its full key; anyone else's (admins too) is "not found". */
async function ownToken({ ctx, user, params }: PageCall) {
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound(keyed("error.token.notFound", { id: String(params.id) }));
  const token = await getToken(ctx, user, id);
  if (token.user_id !== user.id) throw notFound(keyed("error.token.notFound", { id }));
  return { token, key: (await revealKey(ctx, user, id)).key };
}

/** The models this token can call now: its groups (enabled channels), whitelist and billing mode. */
function usableModels({ ctx }: PageCall, t: Awaited<ReturnType<typeof getToken>>) {
  const snap = ctx.snapshot.current;
  const mode = t.billing_mode as BillingMode;
  const billable = (m: string) => !(decideBilling(mode, snap.prices.get(m), m) instanceof AppError);
  return reachableModels(snap.routes, [t.group, ...t.fallback_groups], new Set(t.models), billable);
}

/** The first video model this token can call now (its price is a video price, whatever the billing
 * mode), with the seconds a job of it is made for by default; null when it reaches none. */
function videoModel({ ctx }: PageCall, t: Awaited<ReturnType<typeof getToken>>) {
  const snap = ctx.snapshot.current;
  const video = (m: string) => snap.prices.get(m)?.video ?? null;
  const [model] = reachableModels(snap.routes, [t.group, ...t.fallback_groups], new Set(t.models), (m) => !!video(m));
  return model ? { model, seconds: video(model)!.defaultSeconds } : null;
}

export function tokenExtras({ fragment }: ReturnType<typeof consoleTable>) {
  fragment("/token/:id/example", async (call) => {
    const { token, key } = await ownToken(call);
    const publicUrl = readSettings(call.ctx).public_url;
    const models = usableModels(call, token);
    const asked = call.query.model ?? "";
    const model = models.includes(asked) ? asked : pick(models, /^(gpt|o\d|claude|gemini)/i);
    const base = publicUrl || ADDRESS_PLACEHOLDER;
    const video = videoModel(call, token);
    const videoPart = video ? videoSnippets(`${base}/v1`, key, video.model, video.seconds, call.t) : [];
    return ExampleDialog({
      token: { id: token.id, name: token.name, status: token.status },
      publicUrl,
      admin: call.user.role === USER_ROLE.admin,
      models,
      model,
      snippets: [...snippets(base, key, model ?? "MODEL_NAME", models, call.t), ...videoPart],
      t: call.t,
    }) as string;
  });

  fragment("/token/:id/share", async (call) => {
    const { token, key } = await ownToken(call);
    const publicUrl = readSettings(call.ctx).public_url;
    const models = usableModels(call, token);
    const base = publicUrl || ADDRESS_PLACEHOLDER;
    const { t } = call.t;
    const block = [
      t("extras.block.openai", { url: `${base}/v1` }),
      t("extras.block.anthropic", { url: base }),
      t("extras.block.key", { key }),
    ].join("\n");
    return ShareDialog({
      token: { id: token.id, name: token.name, status: token.status },
      publicUrl,
      admin: call.user.role === USER_ROLE.admin,
      links: publicUrl ? shareLinks(publicUrl, key, token.name, pick(models, /^(gpt|o\d|codex)/i), call.t) : [],
      block,
      t: call.t,
    }) as string;
  });
}
