/** @jsxImportSource @kitajs/html */
// The page shell every server-rendered page shares: head, styles, htmx from the binary.
import type { Children } from "@kitajs/html";

export function Layout(props: { title: string; children?: Children }) {
  return (
    <>
      {"<!doctype html>"}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{props.title}</title>
          <link rel="stylesheet" href="/assets/app.css" />
          <script src="/assets/htmx.min.js" defer></script>
        </head>
        <body>{props.children}</body>
      </html>
    </>
  );
}
