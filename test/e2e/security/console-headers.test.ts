// Issue 10 item 10: the console's response headers, over real HTTP (works against the compiled binary).
// Every console page, htmx fragment and action reply, the sign-in and sign-up pages, the assets, the
// icon, redirects, the not-found page and the management API carry a CSP that allows scripts and styles
// only from this server (no inline code, no eval), forbids framing, plus nosniff and a Referrer-Policy.
// And the markup keeps the promise the CSP makes: crawling every console page and every fragment its
// hx-get attributes load finds no inline script, no inline event handler, no hx-on, no js: value and no
// style attribute; htmx is configured not to eval.
import { beforeAll, expect, test } from "bun:test";
import { startMockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, call, login, priceModels, useServer } from "../../support/server";

const mock = startMockUpstream({ models: ["gpt-4o-mini"] });
const app = useServer();
let cookie = "";
let csrf = "";

beforeAll(async () => {
  ({ cookie } = await login(app.url, "admin", ADMIN_PASSWORD));
  const admin = { cookie };
  await call(
    app.url,
    "POST",
    "/api/channel/",
    { name: "mock", base_url: mock.url, key: "sk-up", models: "gpt-4o-mini" },
    admin,
  );
  await priceModels(app.url, admin, "gpt-4o-mini");
  await call(app.url, "PUT", "/api/setting", { register_enabled: true }, admin);
  await call(app.url, "POST", "/api/token/", { name: "crawl-me", unlimited_quota: true }, admin);
  await call(app.url, "POST", "/api/user/", { username: "carol", password: "carol-password-1" }, admin);
  csrf = /data-csrf="([0-9a-f]+)"/.exec(await (await get("/token")).text())![1];
});

const get = (path: string, auth = true) =>
  fetch(app.url + path, { headers: auth ? { cookie } : {}, redirect: "manual" });

/** The four headers, each as the console needs it. */
function expectHeaders(res: Response, what: string) {
  const csp = res.headers.get("content-security-policy") ?? "";
  const directives = new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([k, ...v]) => [k, v.join(" ")]),
  );
  expect({ what, script: directives.get("script-src") }).toEqual({ what, script: "'self'" });
  expect({ what, style: directives.get("style-src") }).toEqual({ what, style: "'self'" });
  expect({ what, frames: directives.get("frame-ancestors") }).toEqual({ what, frames: "'none'" });
  expect({ what, base: directives.get("default-src") }).toEqual({ what, base: "'self'" });
  expect({ what, unsafe: /unsafe-|\*|data:/.test(csp) }).toEqual({ what, unsafe: false });
  expect({ what, nosniff: res.headers.get("x-content-type-options") }).toEqual({ what, nosniff: "nosniff" });
  expect({ what, referrer: res.headers.get("referrer-policy") }).toEqual({ what, referrer: "same-origin" });
}

/** What the CSP forbids must not be in the markup either (else a page breaks under it). */
function expectNoInlineCode(html: string, what: string) {
  const problems: string[] = [];
  for (const m of html.matchAll(/<script\b[^>]*>/gi)) if (!/\bsrc=/.test(m[0])) problems.push(`inline script ${m[0]}`);
  for (const m of html.matchAll(/<style\b/gi)) problems.push(`<style> at ${m.index}`);
  for (const m of html.matchAll(/<[a-z][^>]*?\s(on[a-z]+|hx-on[:\w-]*|style)\s*=/gi))
    problems.push(`attribute ${m[1]} in ${m[0].slice(0, 80)}`);
  for (const m of html.matchAll(/\bhx-(?:vals|vars|headers)=("|')\s*(?:js|javascript):/gi))
    problems.push(`js: value ${m[0]}`);
  for (const m of html.matchAll(/\bhx-trigger=("[^"]*\[[^"]*"|'[^']*\[[^']*')/gi))
    problems.push(`trigger filter (needs eval) ${m[0]}`);
  expect({ what, problems }).toEqual({ what, problems: [] });
}

const PAGES = [
  "/token",
  "/log",
  "/dashboard",
  "/groups",
  "/pricing",
  "/account",
  "/admin/channels",
  "/admin/users",
  "/admin/groups",
  "/admin/pricing",
  "/admin/logs",
  "/admin/settings",
];

test("every console page and every fragment it loads carries the headers and no inline code", async () => {
  const seen = new Set<string>();
  const fragments: string[] = [];
  for (const path of PAGES) {
    const res = await get(path);
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    expectHeaders(res, path);
    const html = await res.text();
    expectNoInlineCode(html, path);
    for (const m of html.matchAll(/\bhx-get="([^"]+)"/g)) {
      const url = m[1].replaceAll("&amp;", "&");
      if (!seen.has(url)) fragments.push(url);
      seen.add(url);
    }
  }
  expect(fragments.length).toBeGreaterThan(10); // dialogs: New, Edit, Request example, Share, Top up, …
  for (const path of fragments) {
    const res = await get(path);
    expectHeaders(res, path);
    expectNoInlineCode(await res.text(), path);
  }
});

test("htmx is told not to eval, not to inject its style and not to run swapped-in scripts", async () => {
  const html = await (await get("/token")).text();
  const meta = /<meta name="htmx-config" content="([^"]+)"/.exec(html);
  expect(meta).not.toBeNull();
  const config = JSON.parse(meta![1].replace(/&(?:quot|#34);/g, '"'));
  expect(config).toMatchObject({ allowEval: false, includeIndicatorStyles: false, allowScriptTags: false });
});

test("sign-in, sign-up, redirects, not-found, assets, the icon and the API carry them too", async () => {
  for (const [path, auth] of [
    ["/login", false],
    ["/register", false],
    ["/", false],
    ["/token", false],
    ["/no-such-page", true],
    ["/assets/app.js", false],
    ["/assets/htmx.min.js", false],
    ["/assets/app.css", false],
    ["/assets/favicon.svg", false],
    ["/favicon.ico", false],
    ["/api/status", false],
    ["/api/user/self", true],
  ] as const) {
    const res = await get(path, auth);
    expectHeaders(res, path);
    if ((res.headers.get("content-type") ?? "").includes("text/html")) expectNoInlineCode(await res.text(), path);
  }
  const signIn = await fetch(`${app.url}/login`, {
    method: "POST",
    body: new URLSearchParams({ username: "admin", password: "wrong", next: "/token" }),
  });
  expectHeaders(signIn, "POST /login");
  expectNoInlineCode(await signIn.text(), "POST /login");
});

test("htmx action replies carry them", async () => {
  const res = await fetch(`${app.url}/token`, {
    method: "POST",
    headers: { cookie, "x-csrf-token": csrf, origin: app.url, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ name: "headers-check", unlimited: "1", never: "1", group: "default" }),
  });
  expect(res.status).toBe(200);
  expectHeaders(res, "POST /token");
  expectNoInlineCode(await res.text(), "POST /token");
});
