// Redemption codes: 32 lowercase hex characters from the CSPRNG (new-api's shape: a UUIDv4 without
// dashes, here 128 random bits), how a typed code is normalised before it is hashed, its mask (the
// last 4 characters: the database keeps only that and an HMAC), and the CSV a batch is handed out in.
import { randomBytes } from "node:crypto";
import { unitsToUsd } from "./money";

export const CODE_PATTERN = /^[0-9a-f]{32}$/;
export const newRedemptionCode = () => randomBytes(16).toString("hex");

/** What people paste: spaces around, upper case, a UUID's dashes. The result may still be no code. */
export const normalizeCode = (typed: string) => typed.trim().toLowerCase().replaceAll("-", "");

/** `…a1b2`: enough to tell codes apart in a list or a log row, useless to redeem. */
export const maskCode = (code: string) => `…${code.slice(-4)}`;

/** One line per code under a header; every field is hex, digits or a date, so nothing needs quoting. */
export function codesCsv(codes: string[], quota: number, expiredTime: number): string {
  const expires = expiredTime === 0 ? "never" : new Date(expiredTime * 1000).toISOString();
  const usd = unitsToUsd(quota);
  return ["code,quota,usd,expires", ...codes.map((c) => `${c},${quota},${usd},${expires}`)].join("\n") + "\n";
}
