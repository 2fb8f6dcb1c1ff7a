// Quoting for the token's ready-to-run snippets (console/token-extras.tsx, console/video-snippets.ts):
// a value placed in a shell command, or in Python, JavaScript or TOML source, reads back as it was.

/** A word for a POSIX shell: as it is when plainly safe, else in single quotes. */
export const sh = (s: string) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);
/** A string literal valid in Python, JavaScript and TOML alike. */
export const lit = (s: string) => JSON.stringify(s);
