// Whether a state-changing request comes from this site's own pages (the console, or a script on the
// same origin), for the console, sign-in and the management API's cookie writes. Browsers set
// Sec-Fetch-Site and Origin themselves (a page cannot forge them), so:
//   - Sec-Fetch-Site, when sent, must be "same-origin" (or "none": typed by the user). "same-site"
//     is refused: another port on the same host or a sibling subdomain is another site to us,
//     although SameSite=Lax lets the cookie go along.
//   - Origin, when sent, must be this server's own origin: the request's URL, its Host header, or the
//     public_url setting's origin (behind a TLS-terminating proxy the request is http:// while the
//     browser's Origin is https://). When the browser vouches "same-origin", https://<Host> is its
//     origin seen through such a proxy and passes too.
//   - Neither sent (scripts, old browsers): the CSRF token (or the lack of a cookie) decides.

/** The origin ("https://api.example.com") of a URL setting such as public_url; "" when not set or bad. */
export function originOf(url: string): string {
  if (!url) return "";
  try {
    return new URL(url).origin;
  } catch {
    return "";
  }
}

/** `publicUrl` is read only when the Origin is not the request's own (it may cost a settings read). */
export function sameOrigin(request: Request, publicUrl: () => string): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") return false;
  const origin = request.headers.get("origin");
  if (origin === null) return true;
  const url = new URL(request.url);
  const host = request.headers.get("host");
  if (origin === url.origin || (host && origin === `${url.protocol}//${host}`)) return true;
  if (site === "same-origin" && host && origin === `https://${host}`) return true;
  const configured = originOf(publicUrl());
  return configured !== "" && origin === configured;
}
