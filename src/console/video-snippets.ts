// The token's Request example for a video model the token can reach (a model whose price is a video
// price): curl (create, poll until final, download) and the official `openai` SDK in Python and Node
// (videos.create, retrieve until final, download_content / downloadContent). A job takes minutes, so
// each polls every 10 s; the seconds asked are the model's default. The code stays as it is in every
// language; the titles and the note are the reader's.
import type { Snippet } from "../../views/console/token-extras";
import type { Translator } from "../i18n";
import { lit, sh } from "./snippet-quote";

/** What the snippets ask for: a prompt anyone recognises. */
const PROMPT = "A calico cat playing a grand piano on a dimly lit stage";

/** `v1`: the address with /v1; `seconds`: the model's default duration. */
export function videoSnippets(v1: string, key: string, model: string, seconds: number, tr: Translator): Snippet[] {
  const auth = `-H ${sh(`Authorization: Bearer ${key}`)}`;
  const body = JSON.stringify({ model, prompt: PROMPT, seconds: String(seconds) });
  const final = '.status == "completed" or .status == "failed"';
  return [
    {
      id: "video-curl",
      title: tr.t("videos.snippet.curl"),
      note: tr.t("videos.snippet.note", { model }),
      text: [
        `ID=$(curl -s ${sh(`${v1}/videos`)} ${auth} \\`,
        `  -H 'Content-Type: application/json' \\`,
        `  -d ${sh(body)} | jq -r .id)`,
        `until curl -s ${sh(`${v1}/videos/`)}"$ID" ${auth} | jq -e ${sh(final)} >/dev/null; do sleep 10; done`,
        `curl -s ${sh(`${v1}/videos/`)}"$ID/content" ${auth} -o video.mp4`,
      ].join("\n"),
    },
    {
      id: "video-python",
      title: tr.t("videos.snippet.python"),
      text: [
        "import time",
        "from openai import OpenAI",
        "",
        `client = OpenAI(base_url=${lit(v1)}, api_key=${lit(key)})`,
        `video = client.videos.create(model=${lit(model)}, prompt=${lit(PROMPT)}, seconds=${lit(String(seconds))})`,
        'while video.status not in ("completed", "failed"):',
        "    time.sleep(10)",
        "    video = client.videos.retrieve(video.id)",
        'if video.status == "completed":',
        '    client.videos.download_content(video.id).write_to_file("video.mp4")',
        "else:",
        "    print(video.error)",
      ].join("\n"),
    },
    {
      id: "video-node",
      title: tr.t("videos.snippet.node"),
      text: [
        'import { writeFile } from "node:fs/promises";',
        'import OpenAI from "openai";',
        "",
        `const client = new OpenAI({ baseURL: ${lit(v1)}, apiKey: ${lit(key)} });`,
        `let video = await client.videos.create({ model: ${lit(model)}, prompt: ${lit(PROMPT)}, seconds: ${lit(String(seconds))} });`,
        'while (video.status !== "completed" && video.status !== "failed") {',
        "  await new Promise((r) => setTimeout(r, 10_000));",
        "  video = await client.videos.retrieve(video.id);",
        "}",
        'if (video.status === "completed") {',
        "  const content = await client.videos.downloadContent(video.id);",
        '  await writeFile("video.mp4", Buffer.from(await content.arrayBuffer()));',
        "} else console.error(video.error);",
      ].join("\n"),
    },
  ];
}
