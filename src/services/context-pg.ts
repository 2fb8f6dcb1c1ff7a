// The services' context on PostgreSQL (several instances): not built yet.
import { ConfigError, type Config } from "../config";
import type { Ctx } from "./context";

export async function openPgContext(_config: Config, _url: string): Promise<Ctx> {
  throw new ConfigError(
    "PostgreSQL (--database / APIYI_DATABASE_URL): this version only migrates it (apiyi migrate --database URL) and copies a data dir into it (apiyi copy --to URL); serving from it is not built yet, see README's PostgreSQL section",
  );
}
