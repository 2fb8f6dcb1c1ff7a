/** @jsxImportSource @kitajs/html */
// The /videos page: the user's video jobs newest first (model, status, progress, seconds, size, cost,
// created time) with a player for each finished video the upstream still keeps, played through the
// console's cookie-authenticated content route (never an upstream URL). A live job's row asks for
// itself again every few seconds (htmx) and stops once the job is final. Words from the reader's
// catalog, times in their time zone, amounts in their currency.
import { isFinal, type VideoState } from "../../src/core/video/job-state";
import type { PlainKey, Translator } from "../../src/i18n";
import { CursorPager, DataTable, ListToolbar, Rich } from "./kit";

/** One job as the page shows it. `charged`: what the job cost once final (null while it runs);
 * `playable`: completed and kept upstream; `gone`: completed but the upstream no longer keeps it;
 * `error`: why a job failed, was cancelled or timed out (the words it was given). */
export type VideoLine = {
  id: string;
  model: string;
  state: VideoState;
  progress: number;
  seconds: number;
  size: string;
  createdAt: number;
  held: number;
  charged: number | null;
  playable: boolean;
  gone: boolean;
  error: string;
};

declare global {
  namespace JSX {
    // the media preload hint, which @kitajs/html's <video> type lacks
    interface HtmlVideoTag {
      preload?: undefined | "none" | "metadata" | "auto";
    }
  }
}

/** The call that makes a job (code: the same in every language). */
const CREATE = "POST /v1/videos";

/** How often a live row asks for itself again. */
export const LIVE_POLL = "every 3s";

const STATE: Record<VideoState, [PlainKey, string]> = {
  submitted: ["videos.state.submitted", "info"],
  queued: ["videos.state.queued", "info"],
  in_progress: ["videos.state.in_progress", "info"],
  completed: ["videos.state.completed", "ok"],
  failed: ["videos.state.failed", "bad"],
  expired: ["videos.state.expired", "warn"],
  cancelled: ["videos.state.cancelled", "off"],
};

const COLUMNS = {
  created: "videos.col.created",
  model: "videos.col.model",
  status: "videos.col.status",
  progress: "videos.col.progress",
  seconds: "videos.col.seconds",
  size: "videos.col.size",
  cost: "videos.col.cost",
  video: "videos.col.video",
} as const;
type Labels = Record<keyof typeof COLUMNS, string>;
const NUMERIC = new Set(["progress", "seconds", "cost"]);

function labelsOf(tr: Translator): Labels {
  const out = {} as Labels;
  for (const [name, key] of Object.entries(COLUMNS) as [keyof Labels, (typeof COLUMNS)[keyof Labels]][])
    out[name] = key === "videos.col.created" ? tr.t(key, { tz: tr.tz }) : tr.t(key);
  return out;
}

/** The cost: what the job was charged once final; while it runs, what is held for it. */
function cost(v: VideoLine, tr: Translator) {
  if (v.charged !== null) return tr.money(v.charged);
  return tr.t("videos.held", { amount: tr.money(v.held) });
}

function Player(props: { v: VideoLine; tr: Translator }) {
  const { v, tr } = props;
  if (v.playable)
    // preload none: a page of finished videos fetches nothing upstream until one is played
    return (
      // biome-ignore lint/a11y/useMediaCaption: a generated video comes without captions to offer
      <video
        controls
        preload="none"
        src={`/videos/${v.id}/content`}
        aria-label={tr.t("videos.player", { model: v.model })}
      ></video>
    );
  // a job that did not end well says why, in the upstream's (or apiyi's) own words
  const why = v.gone ? tr.t("videos.gone") : v.error;
  return why ? (
    <small class="muted" safe>
      {why}
    </small>
  ) : (
    "—"
  );
}

export function VideoRow(props: { v: VideoLine; tr: Translator; labels?: Labels }) {
  const { v, tr } = props;
  const { t } = tr;
  const l = props.labels ?? labelsOf(tr);
  const live = !isFinal(v.state);
  const [word, tone] = STATE[v.state] ?? ["videos.state.failed", "bad"];
  const poll = live ? { "hx-get": `/videos/${v.id}/row`, "hx-trigger": LIVE_POLL, "hx-swap": "outerHTML" } : {};
  return (
    <tr id={`job-${v.id}`} class={live ? "live" : undefined} data-state={v.state} {...poll}>
      <td data-label={l.created}>
        <time datetime={new Date(v.createdAt).toISOString()} safe>
          {tr.dateTime(v.createdAt)}
        </time>
      </td>
      <td data-label={l.model} class="name" safe>
        {v.model}
      </td>
      <td data-label={l.status}>
        <span class={`badge ${tone}`} safe>
          {t(word)}
        </span>
      </td>
      <td data-label={l.progress} class="num">
        {live ? <progress max="100" value={String(v.progress)}></progress> : ""}
        <span safe>{t("videos.progress", { progress: v.progress })}</span>
      </td>
      <td data-label={l.seconds} class="num" safe>
        {t("videos.seconds", { seconds: v.seconds })}
      </td>
      <td data-label={l.size} safe>
        {v.size || "—"}
      </td>
      <td data-label={l.cost} class="num" safe>
        {cost(v, tr)}
      </td>
      <td data-label={l.video} class="player">
        <Player v={v} tr={tr} />
      </td>
    </tr>
  );
}

export type VideosPageProps = {
  lines: VideoLine[];
  /** the page shows one job (a link from /log) */
  one: boolean;
  links: { newest?: string; older?: string };
  t: Translator;
};

export function VideosPage(props: VideosPageProps) {
  const tr = props.t;
  const { t } = tr;
  const labels = labelsOf(tr);
  const columns = (Object.keys(COLUMNS) as (keyof Labels)[]).map((name) =>
    NUMERIC.has(name) ? { label: labels[name], class: "num" } : labels[name],
  );
  const empty = (
    <p class="empty">
      <Rich t={tr} k="videos.empty" parts={{ path: (<code>{CREATE}</code>) as string }} />
    </p>
  );
  return (
    <>
      <ListToolbar title={t("videos.title")} t={tr} />
      <p class="muted" safe>
        {t("videos.lead")}
      </p>
      {props.one ? (
        <p>
          <span safe>{t("videos.one")}</span>{" "}
          <a href="/videos" safe>
            {t("videos.showAll")}
          </a>
        </p>
      ) : (
        ""
      )}
      <DataTable
        columns={columns}
        tableClass="videos cards"
        bodyId="video-rows"
        empty={props.lines.length === 0 && empty}
      >
        {props.lines.map((v) => (
          <VideoRow v={v} tr={tr} labels={labels} />
        ))}
      </DataTable>
      <CursorPager
        links={[
          [props.links.newest, "logs.newest"],
          [props.links.older, "logs.older"],
        ]}
        t={tr}
      />
    </>
  );
}
