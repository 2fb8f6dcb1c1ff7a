// `apiyi serve`: open (and migrate) the database, first-start setup, listen, stop gracefully.
import { createApp } from "../app";
import { CHECK_EVERY_MS } from "../background";
import { refusals } from "../core/refusals";
import { createRuntime, type Lifecycle } from "../runtime";
import { cutOpenStreams } from "../relay/respond/stream";
import { listen } from "../server";
import { releaseStaleHolds } from "../store/ledger";
import { startCheckpoints } from "../store/checkpoints";
import { loadConfig } from "../config";
import { sweepExpiredSessions } from "../services/auth";
import { bootstrap } from "../services/bootstrap";
import { pruneLogs } from "../services/retention";
import { forgetSavedBreakers } from "../services/channels";
import { leads, openContext } from "../services/context";
import { configureResolver } from "../net/resolve";
import { redactDatabaseUrl } from "../db/pg/url";
import { VERSION } from "../version";
import { CliError, type Command, listeningLines, SERVER_OPTIONS } from "./args";

/** Wait for in-flight requests (streams included) up to the deadline, then close what is left,
 * idle keep-alive connections included (they would otherwise hold the stop). Streams still open
 * at the deadline end first with an error event in their client's shape (server_shutting_down),
 * and get a moment (at most FLUSH_MS) to reach their clients. New requests are already refused
 * with 503 by the app while `draining` is set. */
const FLUSH_MS = 1000;

async function drain(server: Bun.Server<unknown>, life: Lifecycle, deadlineMs: number) {
  const until = Date.now() + deadlineMs;
  while (server.pendingRequests > 0 && Date.now() < until) await Bun.sleep(25);
  if (server.pendingRequests > 0) {
    life.cutting = true;
    const shutdown = refusals.shuttingDown();
    const left = server.pendingRequests - cutOpenStreams(shutdown.message, shutdown.code);
    const flushUntil = Date.now() + FLUSH_MS;
    while (server.pendingRequests > Math.max(0, left) && Date.now() < flushUntil) await Bun.sleep(10);
  }
  await server.stop(true);
}

export const serve: Command = {
  name: "serve",
  summary: "Run the gateway: migrate the database, then serve the API and console.",
  usage:
    "[--port N] [--host H] [--data-dir DIR | --database URL] [--shutdown-timeout S] [--trusted-proxies CIDRS] [--max-body-mb N] [--public-url URL] [--resolve NAME=IP,…]",
  options: {
    ...SERVER_OPTIONS,
    "shutdown-timeout": { type: "string" },
    "trusted-proxies": { type: "string" },
    "max-body-mb": { type: "string" },
    "register-enabled": { type: "string" },
    "new-user-quota": { type: "string" },
    "public-url": { type: "string" },
    resolve: { type: "string" },
  },
  help: [
    "  --port N                 listen port (env APIYI_PORT, default 3000; 0 = any free port)",
    "  --host H                 listen address (env APIYI_HOST, default 127.0.0.1; 0.0.0.0 = all)",
    "  --data-dir DIR           database and secret folder (env APIYI_DATA_DIR, default ./data)",
    "  --database URL           PostgreSQL instead of SQLite (env APIYI_DATABASE_URL; its password only there or in PGPASSWORD)",
    "  --shutdown-timeout S     seconds in-flight calls get on SIGTERM (env APIYI_SHUTDOWN_TIMEOUT, default 30)",
    "  --trusted-proxies L      proxies whose X-Forwarded-For is believed: IPs/CIDRs, comma-separated (env APIYI_TRUSTED_PROXIES, default none)",
    "  --max-body-mb N          largest /v1 request body in MiB (env APIYI_MAX_BODY_MB, default 32)",
    "  --register-enabled B     first start only: allow sign-up (env APIYI_REGISTER_ENABLED)",
    "  --new-user-quota N       first start only: new users' balance in units (env APIYI_NEW_USER_QUOTA)",
    "  --public-url URL         first start only: the address clients reach this server at, for request examples and share links (env APIYI_PUBLIC_URL)",
    "  --resolve L              pin upstream host names to addresses, like curl --resolve: name=IP,… (env APIYI_RESOLVE; still checked by the egress guard)",
  ],
  async run(flags) {
    const config = loadConfig(flags);
    configureResolver({ pins: config.resolve });
    const ctx = await openContext(config);
    const life: Lifecycle = { draining: false };
    if (ctx.sqlite) {
      // calls that died with the previous process (kill -9) left holds: they go back first
      const released = releaseStaleHolds(ctx.sqlite.db);
      if (released > 0) {
        await ctx.snapshot.reloadAll();
        console.log(`released ${released} hold(s) left by calls that did not finish`);
      }
      await forgetSavedBreakers(ctx); // breakers start closed in this process; the CLI reads what it saves
    }
    const rt = createRuntime(ctx, config, life);
    let server: Bun.Server<unknown> | undefined;
    let sweeper: ReturnType<typeof setInterval> | undefined;
    let stopped!: (code: number) => void;
    const done = new Promise<number>((resolve) => (stopped = resolve));
    // handlers go in before anything is announced, so an early SIGTERM still stops gracefully
    const shutdown = async (signal: string) => {
      if (life.draining) return;
      life.draining = true;
      console.log(`${signal}: draining, up to ${config.shutdownTimeout}s for in-flight calls`);
      if (server) await drain(server, life, config.shutdownTimeout * 1000);
      clearInterval(sweeper);
      rt.alerts.stop();
      rt.jobs.stop();
      await rt.videos.stop(); // polls in flight give up; their jobs are polled again after the next start
      await rt.jobs.idle(5000); // a scheduled test or balance read still going
      await ctx.ledger.stop();
      await rt.checkpoints?.stop();
      await ctx.close();
      console.log("stopped");
      stopped(0);
    };
    process.on("SIGTERM", () => void shutdown("SIGTERM"));
    process.on("SIGINT", () => void shutdown("SIGINT"));

    // on PostgreSQL in one transaction under the services' lock: instances starting together bootstrap once
    const { adminPassword } = ctx.sqlite ? await bootstrap(ctx, config) : await ctx.tx(() => bootstrap(ctx, config));
    if (ctx.cluster) await ctx.cluster.start(); // leases, the ledger's upkeep, leadership, the config watch
    if (life.draining) return done;
    try {
      server = listen(rt, createApp(rt), config.port, config.host);
    } catch (e) {
      await ctx.close();
      throw new CliError(`cannot listen on ${config.host}:${config.port}: ${(e as Error).message}`);
    }
    if (ctx.sqlite) rt.checkpoints = startCheckpoints(ctx.sqlite.db.$client, ctx.sqlite.path); // WAL checkpoints off the event loop
    rt.alerts.start(); // the periodic breaker check; alerts themselves are sent as they come
    rt.jobs.start(CHECK_EVERY_MS); // the scheduled channel test, upstream balances (background.ts)
    rt.videos.start(); // video jobs: polled from their table, so a restart resumes them
    if (ctx.sqlite) ctx.snapshot.watch(); // writes by other processes (the CLI): see services/snapshot.ts
    // hourly housekeeping: expired sessions, and call rows past the retention period
    const housekeeping = async () => {
      if (!leads(ctx)) return; // once per cluster: the leader's
      await sweepExpiredSessions(ctx);
      pruneLogs(ctx).catch((e) => console.error("log retention:", (e as Error).message));
    };
    sweeper = setInterval(housekeeping, 3600_000);
    await housekeeping();
    // where the data is: the data dir, or the database with its password hidden
    const data = config.database ? redactDatabaseUrl(config.database) : config.dataDir;
    const lines = listeningLines(config.host, server.port!, data);
    console.log(`apiyi ${VERSION} ${lines.listening}`);
    console.log(lines.console);
    if (adminPassword)
      console.log(`first start: user "admin" created with password ${adminPassword} (shown once; change it)`);
    return done;
  },
};
