// Named values of the stored status, role and type columns (users, tokens, channels, upstream keys, log rows), shared by code and tests.
// The numbers are what the database and the management API hold: never renumber one.

type ValueOf<T> = T[keyof T];

/** users.status */
export const USER_STATUS = { enabled: 1, disabled: 2 } as const;
export type UserStatus = ValueOf<typeof USER_STATUS>;

/** users.role */
export const USER_ROLE = { admin: "admin", user: "user" } as const;
export type UserRole = ValueOf<typeof USER_ROLE>;

/** tokens.status holds 1 or 2 (set by people); 3 and 4 are derived (core/tokens.ts effectiveStatus) */
export const TOKEN_STATUS = { enabled: 1, disabled: 2, expired: 3, exhausted: 4 } as const;
export type TokenStatus = ValueOf<typeof TOKEN_STATUS>;

/** channels.status: 2 is an admin's choice, 3 is set when no upstream key is left (and undone by a recovery) */
export const CHANNEL_STATUS = { enabled: 1, disabled: 2, autoDisabled: 3 } as const;
export type ChannelStatus = ValueOf<typeof CHANNEL_STATUS>;

/** channels.key_states[].status: 2 out of credit, back in rotation at `until`; 3 rejected by the upstream */
export const KEY_STATUS = { usable: 1, cooling: 2, dead: 3 } as const;
export type KeyStatus = ValueOf<typeof KEY_STATUS>;

/** logs.type (and usage_daily.type, which holds only the call types 2 and 5) */
export const LOG_TYPE = { topup: 1, consume: 2, admin: 3, system: 4, error: 5 } as const;
export type LogType = ValueOf<typeof LOG_TYPE>;
/** /log's type filter value for video jobs' rows: not a logs.type (they are consume or error rows) but
 * their logs.endpoint */
export const VIDEO_LOGS = { type: "video", endpoint: "videos" } as const;

/** redemptions.status: 3 is set once, by the redemption itself; expired is derived from expired_time */
export const REDEMPTION_STATUS = { enabled: 1, disabled: 2, used: 3 } as const;
export type RedemptionStatus = ValueOf<typeof REDEMPTION_STATUS>;
