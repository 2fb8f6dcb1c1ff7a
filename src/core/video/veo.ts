// The sizes Veo (Gemini API video) makes, pure: its aspectRatio ("16:9", "9:16") and resolution
// ("720p", "1080p", "4k") against apiyi's "WIDTHxHEIGHT" size, both ways. A size outside the table is
// one Veo cannot make (the caller refuses it, naming `size`); an aspect ratio or resolution outside
// it is not Veo's (refused naming the parameter).

export type VeoShape = { aspectRatio: string; resolution: string };

/** [size, aspectRatio, resolution] */
const TABLE: readonly [string, string, string][] = [
  ["1280x720", "16:9", "720p"],
  ["720x1280", "9:16", "720p"],
  ["1920x1080", "16:9", "1080p"],
  ["1080x1920", "9:16", "1080p"],
  ["3840x2160", "16:9", "4k"],
  ["2160x3840", "9:16", "4k"],
];

export const VEO_SIZES = TABLE.map(([size]) => size);
export const VEO_ASPECT_RATIOS = ["16:9", "9:16"];
export const VEO_RESOLUTIONS = ["720p", "1080p", "4k"];
/** what Veo makes when a request names no resolution */
export const VEO_DEFAULT_RESOLUTION = "720p";
const DEFAULT_ASPECT = "16:9";

/** A normalized size ("1280x720") as Veo's aspectRatio and resolution; null when Veo cannot make it. */
export function veoShapeOf(size: string): VeoShape | null {
  const row = TABLE.find(([s]) => s === size);
  return row ? { aspectRatio: row[1], resolution: row[2] } : null;
}

/** Veo's aspectRatio and resolution (either may be missing: 16:9, 720p) as a size; null when the pair
 * is not Veo's. Resolution is read without regard to case ("1080P"). */
export function sizeOfVeo(aspectRatio: string | undefined, resolution: string | undefined): string | null {
  const aspect = aspectRatio ?? DEFAULT_ASPECT;
  const res = (resolution ?? VEO_DEFAULT_RESOLUTION).toLowerCase();
  return TABLE.find(([, a, r]) => a === aspect && r === res)?.[0] ?? null;
}
