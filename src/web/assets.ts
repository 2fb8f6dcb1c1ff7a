// Static assets embedded in the binary (no CDN): htmx and the stylesheet.
import type { Elysia } from "elysia";
import htmxPath from "htmx.org/dist/htmx.min.js" with { type: "file" };
import cssPath from "./app.css" with { type: "file" };
import jsPath from "./app.js" with { type: "file" };

const ASSETS: Record<string, { path: string; type: string }> = {
  "htmx.min.js": { path: htmxPath, type: "text/javascript; charset=utf-8" },
  "app.css": { path: cssPath, type: "text/css; charset=utf-8" },
  "app.js": { path: jsPath, type: "text/javascript; charset=utf-8" },
};

export function assetRoutes(app: Elysia) {
  app.get("/assets/:name", ({ params, set }) => {
    const asset = ASSETS[params.name];
    if (!asset) {
      set.status = 404;
      return "not found";
    }
    return new Response(Bun.file(asset.path), {
      headers: { "content-type": asset.type, "cache-control": "public, max-age=86400" },
    });
  });
}
