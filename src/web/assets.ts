// Static assets embedded in the binary (no CDN): htmx, the stylesheet, the console's script and the
// icon (favicon.svg is its source; favicon.ico holds it as 16, 32 and 48 px PNGs, for browsers and
// tools that ask for /favicon.ico whatever the page links).
import { Elysia } from "elysia";
import htmxPath from "htmx.org/dist/htmx.min.js" with { type: "file" };
import cssPath from "./app.css" with { type: "file" };
import jsPath from "./app.js" with { type: "file" };
import icoPath from "./favicon.ico" with { type: "file" };
import svgPath from "./favicon.svg" with { type: "file" };

type Asset = { path: string; type: string };
const ASSETS: Record<string, Asset> = {
  "htmx.min.js": { path: htmxPath, type: "text/javascript; charset=utf-8" },
  "app.css": { path: cssPath, type: "text/css; charset=utf-8" },
  "app.js": { path: jsPath, type: "text/javascript; charset=utf-8" },
  "favicon.svg": { path: svgPath, type: "image/svg+xml" },
};
const FAVICON: Asset = { path: icoPath, type: "image/x-icon" };

const serve = (asset: Asset) =>
  new Response(Bun.file(asset.path), { headers: { "content-type": asset.type, "cache-control": "public, max-age=86400" } });

export const assetRoutes = new Elysia()
  .get("/assets/:name", ({ params, set }) => {
    const asset = ASSETS[params.name];
    if (!asset) {
      set.status = 404;
      return "not found";
    }
    return serve(asset);
  })
  .get("/favicon.ico", () => serve(FAVICON));
