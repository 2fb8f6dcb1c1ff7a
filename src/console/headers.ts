// Security headers on every response of the Elysia app (console pages, htmx fragments, sign-in and
// sign-up, assets, the management API; /v1 is plain Bun routes and never serves HTML):
// - CSP: scripts only from our own /assets (no inline script, no eval: htmx runs with allowEval off,
//   see views/layout.tsx), styles only from /assets/app.css (no style attributes or <style>: htmx's
//   injected indicator style is turned off), no plugins, no <base>, forms post only here, and no page
//   may frame the console (clickjacking);
// - nosniff, so an upload or a JSON reply is never run as a script or a stylesheet;
// - Referrer-Policy same-origin: links out of the console (share links, docs) send no Referer, so a
//   console URL with a token name or a log filter never leaks; same-origin requests keep it, and their
//   Origin header too (with no-referrer the browser would send `Origin: null` on our own form posts,
//   which the CSRF check refuses).
import { Elysia } from "elysia";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  // for browsers that predate frame-ancestors
  "x-frame-options": "DENY",
};

/** The headers on every response of the app that uses this plugin (Elysia merges `set.headers` into
 * returned Responses, redirects and the not-found reply too; an onRequest hook always reaches the app
 * that uses the plugin). Use it before any route. */
export const securityHeaders = new Elysia({ name: "security-headers" }).onRequest(({ set }) => {
  Object.assign(set.headers, SECURITY_HEADERS);
});
