// The version, read from package.json at build time (inlined into the binary).
import pkg from "../package.json" with { type: "json" };

export const VERSION: string = pkg.version;
