// Small pieces every codec uses: fresh ids, the time in seconds, the object test, and tool-call
// arguments (JSON text) read back as an object.
import type { Json } from "./codec";

/** A fresh id: `prefix` (with its separator) and `hex` hex digits. */
export const newId = (prefix: string, hex = 24) => prefix + crypto.randomUUID().replaceAll("-", "").slice(0, hex);

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Tool call arguments (JSON text) as an object; {} when they are not a JSON object. */
export function parseArgs(text: unknown): Json {
  if (typeof text !== "string") return {};
  try {
    const value = JSON.parse(text);
    return isObject(value) ? value : {};
  } catch {
    return {};
  }
}
