/** @jsxImportSource @kitajs/html */
// A video model's price in a price table's per-call cell: "$0.30/s" (or "$1.00/video"), the prices by
// size in its title. `money` writes a USD amount given in millionths (the reader's currency on
// /pricing, US dollars on the admin's price table).
import { parseMicros } from "../../src/core/money";
import type { VideoPriceJson } from "../../src/core/video/price";
import type { Translator } from "../../src/i18n";

/** A video price as the tables hold it: USD millionths. */
export type VideoRateView = { perSecond: number | null; perVideo: number | null; sizes: [string, number][] };

/** The API's video price (decimal USD text) as the tables hold it; null when the model has none. */
export function videoRateOf(v: Pick<VideoPriceJson, "per_second" | "per_video" | "sizes"> | null | undefined) {
  if (!v) return null;
  const micros = (usd: string | null) => (usd === null ? null : parseMicros(usd));
  const sizes = Object.entries(v.sizes).map(([size, usd]) => [size, parseMicros(usd)] as [string, number]);
  return { perSecond: micros(v.per_second), perVideo: micros(v.per_video), sizes } satisfies VideoRateView;
}

export function VideoRate(props: { v: VideoRateView; t: Translator; money: (micros: number) => string }) {
  const { v, money } = props;
  const { t } = props.t;
  const text =
    v.perSecond !== null
      ? t("videos.rate.perSecond", { price: money(v.perSecond) })
      : t("videos.rate.perVideo", { price: money(v.perVideo ?? 0) });
  const sizes = v.sizes.map(([size, micros]) => `${size} ${t("videos.rate.perSecond", { price: money(micros) })}`);
  return (
    <span title={sizes.length ? t("videos.rate.sizes", { list: sizes.join(", ") }) : undefined} safe>
      {text}
    </span>
  );
}
