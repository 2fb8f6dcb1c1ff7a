// The /token wrench menu's "Request example" and "Share" dialogs over HTTP: the owner's full key and
// the server's public address (the `public_url` setting, seeded by --public-url / APIYI_PUBLIC_URL at
// first start) and never the request's Host header; a model the token can actually use (groups,
// whitelist, billing mode); deep links in each client app's own format that decode to the right key and address;
// a placeholder and a note while no public URL is set; another user's token is "not found".
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { consoleHttp, type Who } from "../../support/console";
import { expectInvalid, expectReply } from "../../support/expect";
import { ADMIN_PASSWORD, call, client, login, makeUser, removeDir, startServer, useServer } from "../../support/server";

setDefaultTimeout(20_000);

const PUBLIC = "https://gw.example.com/base";
const app = useServer({ args: ["--public-url", `${PUBLIC}/`] });
let admin: Awaited<ReturnType<typeof login>>;
let bob: Awaited<ReturnType<typeof makeUser>>;
let bobToken: { id: number; key: string };

const { fragment: htmx } = consoleHttp(app);
/** A console GET as htmx sends it, with a forged Host header (and X-Forwarded-Host) by default. */
const fragment = (path: string, who: Who, host = "evil.example") =>
  htmx(path, who, { host, "x-forwarded-host": host, "x-forwarded-proto": "https" });

/** Undoes the HTML escaping of text and attribute values. */
const unescapeHtml = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|quot|amp|lt|gt|apos);/gi, (_, e: string) => {
    if (e[0] === "#")
      return String.fromCodePoint(e[1].toLowerCase() === "x" ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ({ quot: '"', amp: "&", lt: "<", gt: ">", apos: "'" } as Record<string, string>)[e.toLowerCase()];
  });

/** The text of a snippet's code block, unescaped. */
const snippet = (html: string, id: string) => {
  const m = new RegExp(`<section class="snippet" id="snippet-${id}">.*?<pre><code>(.*?)</code></pre>`, "s").exec(html);
  return m ? unescapeHtml(m[1]) : "";
};

/** The "Open" link of a share row, unescaped. */
const link = (html: string, app: string) => {
  const m = new RegExp(`<li data-app="${app}">.*?<a class="button primary" href="([^"]*)"`, "s").exec(html);
  return m ? unescapeHtml(m[1]) : "";
};

async function newToken(api: ReturnType<typeof client>, body: Record<string, unknown>) {
  const data = expectReply(await api.post("/api/token/", { unlimited_quota: true, ...body }), 201);
  return { id: data.token?.id ?? data.id, key: data.key as string };
}

beforeAll(async () => {
  admin = await login(app.url, "admin", ADMIN_PASSWORD);
  const api = client(app.url, admin);
  bob = await makeUser(app.url, admin, "bob");
  expectReply(
    await api.post("/api/channel/", {
      name: "main",
      base_url: "http://127.0.0.1:9",
      key: "sk-up-main",
      models: ["claude-sonnet-4-5", "dall-e-3", "gpt-4o-mini", "unpriced-model"],
      group: ["default"],
    }),
    201,
  );
  bobToken = await newToken(bob.api, { name: "laptop" });
});

test("--public-url seeds the public_url setting at first start (trailing slash removed)", async () => {
  expect(expectReply(await client(app.url, admin).get("/api/setting"), 200).public_url).toBe(PUBLIC);
});

test("APIYI_PUBLIC_URL seeds it too; after the first start the stored value wins over the flag", async () => {
  const first = await startServer({ env: { APIYI_PUBLIC_URL: "http://10.0.0.5:3000" } });
  try {
    const a = await login(first.url, "admin", ADMIN_PASSWORD);
    expect(expectReply(await client(first.url, a).get("/api/setting"), 200).public_url).toBe("http://10.0.0.5:3000");
    expectReply(await client(first.url, a).put("/api/setting", { public_url: "https://changed.example/" }), 200);
  } finally {
    await first.stop();
  }
  const again = await startServer({ dataDir: first.dataDir, args: ["--public-url", "https://flag.example"] });
  try {
    const a = await login(again.url, "admin", ADMIN_PASSWORD);
    expect(expectReply(await client(again.url, a).get("/api/setting"), 200).public_url).toBe("https://changed.example");
  } finally {
    await again.stop();
    removeDir(first.dataDir);
  }
});

test("public_url is validated as an http(s) URL without query or fragment", async () => {
  const api = client(app.url, admin);
  for (const bad of [
    "ftp://x.example",
    "not a url",
    "https://x.example/?a=1",
    "https://x.example/#top",
    "https://u:p@x.example",
    5,
  ]) {
    expectInvalid(await api.put("/api/setting", { public_url: bad }), "public_url");
  }
  expect(expectReply(await api.get("/api/setting"), 200).public_url).toBe(PUBLIC);
});

test("the /token wrench menu has Request example and Share", async () => {
  const r = await fragment("/token", bob.auth, new URL(app.url).host);
  expect(r.text).toContain(
    `<button type="button" hx-get="/token/${bobToken.id}/example" hx-target="#dialog-slot">Request example</button>`,
  );
  expect(r.text).toContain(
    `<button type="button" hx-get="/token/${bobToken.id}/share" hx-target="#dialog-slot">Share</button>`,
  );
});

describe("Request example", () => {
  test("snippets with the full key and the public address, never the Host header", async () => {
    const r = await fragment(`/token/${bobToken.id}/example`, bob.auth);
    expect(r.status).toBe(200);
    expect(r.text).toStartWith("<dialog data-autoopen");
    expect(r.text).not.toContain("<html");
    expect(r.text).not.toContain("evil.example");
    expect(r.text).not.toContain(new URL(app.url).host); // nor the address the request really went to
    expect(r.text).toContain(bobToken.key);
    // every snippet has a copy button carrying the same text
    for (const id of ["curl", "python", "node", "claude-code", "codex-config", "codex-env", "gemini-cli"]) {
      const text = snippet(r.text, id);
      expect(text).not.toBe("");
      expect(r.text).toContain(`data-copy="${text.replaceAll("&", "&amp;").replaceAll('"', "&#34;")}"`);
    }
    expect(snippet(r.text, "curl")).toContain(`curl ${PUBLIC}/v1/chat/completions`);
    expect(snippet(r.text, "curl")).toContain(`-H 'Authorization: Bearer ${bobToken.key}'`);
    expect(snippet(r.text, "python")).toContain(`client = OpenAI(base_url="${PUBLIC}/v1", api_key="${bobToken.key}")`);
    expect(snippet(r.text, "node")).toContain(`new OpenAI({ baseURL: "${PUBLIC}/v1", apiKey: "${bobToken.key}" })`);
    expect(snippet(r.text, "claude-code")).toContain(
      `export ANTHROPIC_BASE_URL=${PUBLIC}\nexport ANTHROPIC_AUTH_TOKEN=${bobToken.key}`,
    );
    expect(snippet(r.text, "claude-code")).toContain("export ANTHROPIC_MODEL=claude-sonnet-4-5");
    const codex = snippet(r.text, "codex-config");
    expect(codex).toContain(`base_url = "${PUBLIC}/v1"`);
    expect(codex).toContain('env_key = "APIYI_API_KEY"');
    expect(codex).toContain('wire_api = "responses"');
    expect(codex).toContain('model = "gpt-4o-mini"');
    expect(snippet(r.text, "codex-env")).toContain(`export APIYI_API_KEY=${bobToken.key}`);
    expect(snippet(r.text, "gemini-cli")).toContain(
      `export GOOGLE_GEMINI_BASE_URL=${PUBLIC}\nexport GEMINI_API_KEY=${bobToken.key}\ngemini -m `,
    );
    // the curl body is valid JSON naming a model the token can use (an unpriced model is not one)
    const body = JSON.parse(/-d '(.*)'$/m.exec(snippet(r.text, "curl"))![1]);
    expect(["claude-sonnet-4-5", "gpt-4o-mini"]).toContain(body.model);
    expect(r.text).toContain('<option value="gpt-4o-mini"');
    expect(r.text).not.toContain("unpriced-model");
  });

  test("the model follows the token's whitelist and billing mode, and can be switched", async () => {
    const onlyMini = await newToken(bob.api, { name: "mini", models: ["gpt-4o-mini"] });
    const mini = await fragment(`/token/${onlyMini.id}/example`, bob.auth);
    expect(snippet(mini.text, "python")).toContain('model="gpt-4o-mini"');
    expect(mini.text).not.toContain("claude-sonnet-4-5");

    const perCall = await newToken(bob.api, { name: "images", billing_mode: "per_call" });
    const images = await fragment(`/token/${perCall.id}/example`, bob.auth);
    expect(snippet(images.text, "python")).toContain('model="dall-e-3"'); // the only per-call priced model served
    expect(images.text).not.toContain('value="gpt-4o-mini"');

    const switched = await fragment(`/token/${bobToken.id}/example?model=gpt-4o-mini`, bob.auth);
    expect(snippet(switched.text, "node")).toContain('model: "gpt-4o-mini"');
    expect(switched.text).toContain('<option value="gpt-4o-mini" selected>');
    const notAllowed = await fragment(`/token/${onlyMini.id}/example?model=claude-sonnet-4-5`, bob.auth);
    expect(snippet(notAllowed.text, "node")).toContain('model: "gpt-4o-mini"');

    const nothing = await newToken(bob.api, { name: "nothing", models: ["o3"] }); // priced, but no channel serves it
    const none = await fragment(`/token/${nothing.id}/example`, bob.auth);
    expect(none.text).toContain("This token cannot call any model right now");
    expect(snippet(none.text, "python")).toContain('model="MODEL_NAME"');
  });

  test("a disabled token says so", async () => {
    const t = await newToken(bob.api, { name: "off", status: 2 });
    expect((await fragment(`/token/${t.id}/example`, bob.auth)).text).toContain("This token is disabled");
  });
});

describe("Share", () => {
  test("deep links in each client app's format decode to the right key and address", async () => {
    const r = await fragment(`/token/${bobToken.id}/share`, bob.auth);
    expect(r.status).toBe(200);
    expect(r.text).not.toContain("evil.example");
    expect(r.text).not.toContain(new URL(app.url).host);
    const key = bobToken.key;

    const cherry = new URL(link(r.text, "cherry-studio"));
    expect(link(r.text, "cherry-studio")).toStartWith("cherrystudio://providers/api-keys?v=1&data=");
    expect(cherry.searchParams.get("v")).toBe("1");
    const decoded = JSON.parse(Buffer.from(cherry.searchParams.get("data")!, "base64").toString("utf8"));
    expect(decoded).toMatchObject({ baseUrl: PUBLIC, apiKey: key });
    expect(typeof decoded.id).toBe("string");

    const lobe = new URL(link(r.text, "lobechat"));
    expect(lobe.pathname).toBe("/");
    expect(JSON.parse(lobe.searchParams.get("settings")!)).toEqual({
      keyVaults: { openai: { apiKey: key, baseURL: `${PUBLIC}/v1` } },
    });

    const ama = link(r.text, "ama");
    expect(ama).toBe(`ama://set-api-key?server=${encodeURIComponent(PUBLIC)}&key=${key}`);
    expect(new URL(ama).searchParams.get("server")).toBe(PUBLIC);

    const opencat = link(r.text, "opencat");
    expect(opencat).toBe(`opencat://team/join?domain=${encodeURIComponent(PUBLIC)}&token=${key}`);

    const next = link(r.text, "nextchat");
    expect(next).toStartWith(`${PUBLIC}/#/?settings=`);
    expect(JSON.parse(decodeURIComponent(next.slice(`${PUBLIC}/#/?settings=`.length)))).toEqual({ key, url: PUBLIC });

    const endpoints = { claude: PUBLIC, codex: `${PUBLIC}/v1`, gemini: PUBLIC };
    for (const [app_, endpoint] of Object.entries(endpoints)) {
      const href = link(r.text, `ccswitch-${app_}`);
      expect(href).toStartWith("ccswitch://v1/import?");
      const q = new URL(href).searchParams;
      expect({
        resource: q.get("resource"),
        app: q.get("app"),
        endpoint: q.get("endpoint"),
        apiKey: q.get("apiKey"),
        homepage: q.get("homepage"),
      }).toEqual({
        resource: "provider",
        app: app_,
        endpoint,
        apiKey: key,
        homepage: PUBLIC,
      });
      expect(q.get("name")).toBe("apiyi (laptop)");
    }

    const block = snippet(r.text, "base");
    expect(block).toContain(`${PUBLIC}/v1`);
    expect(block).toContain(`API key: ${key}`);
    expect(r.text).toContain('<li data-app="cherry-studio">');
  });

  test("a token name with HTML is text in both dialogs and travels URL-encoded", async () => {
    const t = await newToken(bob.api, { name: "<img src=x onerror=alert(1)>" });
    for (const path of ["example", "share"]) {
      const r = await fragment(`/token/${t.id}/${path}`, bob.auth);
      expect(r.text).toContain("&lt;img src=x onerror=alert(1)&gt;");
      expect(r.text).not.toContain("<img src=x");
    }
    const share = await fragment(`/token/${t.id}/share`, bob.auth);
    expect(new URL(link(share.text, "ccswitch-claude")).searchParams.get("name")).toBe(
      "apiyi (<img src=x onerror=alert(1)>)",
    );
  });
});

test("without a public URL: a placeholder, a note for the admin, no one-click links, and still never the Host header", async () => {
  const api = client(app.url, admin);
  expectReply(await api.put("/api/setting", { public_url: "" }), 200);
  try {
    const example = await fragment(`/token/${bobToken.id}/example`, bob.auth);
    expect(example.text).toContain("public address is not set");
    expect(example.text).toContain("Ask an admin to set the public URL");
    expect(snippet(example.text, "curl")).toContain("curl YOUR_APIYI_URL/v1/chat/completions");
    expect(snippet(example.text, "claude-code")).toContain("export ANTHROPIC_BASE_URL=YOUR_APIYI_URL");
    expect(snippet(example.text, "codex-config")).toContain('base_url = "YOUR_APIYI_URL/v1"');
    expect(example.text).not.toContain("evil.example");
    expect(example.text).not.toContain(new URL(app.url).host);

    const share = await fragment(`/token/${bobToken.id}/share`, bob.auth);
    expect(share.text).not.toContain("data-app=");
    expect(snippet(share.text, "base")).toContain("YOUR_APIYI_URL/v1");
    expect(snippet(share.text, "base")).toContain(bobToken.key);
    expect(share.text).not.toContain("evil.example");

    // an admin's own token: the note says where to set it
    const own = expectReply(await api.get("/api/token/?p=1&size=100"), 200).items.find(
      (t: { name: string; user_id: number }) => t.name === "default" && t.user_id !== bob.id,
    );
    const adminView = await fragment(`/token/${own.id}/example`, admin);
    expect(adminView.text).toContain(
      "Set it once under Admin → Settings (public_url), or start the server with --public-url",
    );
  } finally {
    expectReply(await api.put("/api/setting", { public_url: PUBLIC }), 200);
  }
});

test("another user's token is 'not found' (admins included: the key is the owner's only)", async () => {
  const adminTokens = expectReply(await client(app.url, admin).get("/api/token/?p=1&size=100"), 200).items as {
    id: number;
    user_id: number;
  }[];
  const adminsOwn = adminTokens.find((t) => t.user_id !== bob.id)!;
  for (const path of ["example", "share"]) {
    const r = await fragment(`/token/${adminsOwn.id}/${path}`, bob.auth);
    expect({ status: r.status, text: r.text }).toEqual({ status: 200, text: "" });
    expect(r.headers.get("hx-reswap")).toBe("none");
    expect(r.trigger.toast).toEqual({ message: `token ${adminsOwn.id} not found`, kind: "error" });

    const byAdmin = await fragment(`/token/${bobToken.id}/${path}`, admin);
    expect(byAdmin.text).toBe("");
    expect(byAdmin.trigger.toast.message).toContain("not found");

    expect((await fragment(`/token/999999/${path}`, bob.auth)).trigger.toast.message).toContain("not found");
    expect((await fragment(`/token/abc/${path}`, bob.auth)).trigger.toast.message).toContain("not found");
  }
});

test("anonymous: no dialog, htmx is sent to sign in", async () => {
  for (const path of ["example", "share"]) {
    const r = await fragment(`/token/${bobToken.id}/${path}`, {});
    expect(r.status).toBe(401);
    expect(r.headers.get("hx-redirect")).toBe("/login");
    expect(r.text).toBe("");
  }
  // and the anonymous management API cannot read the setting either
  expectReply(await call(app.url, "GET", "/api/setting"), 401);
});
