// What the sign-in routes and the language switch share: where a form may send the browser back to
// (only paths on this site) and the cookies they set (HttpOnly, SameSite=Lax, Secure over https).

/** Only local paths: "/token", never "//evil.example" or "https://…". */
export const safeNext = (next: unknown) => (typeof next === "string" && /^\/(?![/\\])/.test(next) ? next : "/token");

const overHttps = (request: Request) =>
  new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";

/** A Set-Cookie value for the whole site; `maxAge` 0 deletes it. */
export const cookieHeader = (request: Request, name: string, value: string, maxAge: number) =>
  `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${overHttps(request) ? "; Secure" : ""}`;
