# apiyi in a container: build the single binary with the pinned Bun, then ship only that binary on
# a small glibc runtime, as a non-root user, with its data on the /data volume.
FROM oven/bun:1.4.5 AS build
WORKDIR /src
COPY package.json bun.lock .bun-version ./
RUN bun install --frozen-lockfile
COPY tsconfig.json bunfig.toml ./
COPY src ./src
COPY views ./views
COPY migrations ./migrations
RUN bun run build && ./apiyi version

FROM debian:bookworm-slim
# user and group 10001, so that `chown -R 10001:10001` is all a bind-mounted /data needs
RUN groupadd --system --gid 10001 apiyi \
 && useradd --system --uid 10001 --gid 10001 --home-dir /data --shell /usr/sbin/nologin apiyi \
 && mkdir -p /data && chown apiyi:apiyi /data
COPY --from=build /src/apiyi /usr/local/bin/apiyi
# BUN_CONFIG_MAX_HTTP_REQUESTS lifts Bun's 256 in-flight fetch cap at process start. Upstream calls use
# apiyi's own HTTP/1.1 client, which has no such cap; the variable covers what is left to fetch
# (multipart uploads) and APIYI_UPSTREAM_CLIENT=fetch, with which `serve` would otherwise relaunch itself.
# APIYI_SHUTDOWN_TIMEOUT=8: `docker stop` sends SIGTERM and kills 10 s later; the drain (8 s) and
# writing the last log rows fit in that, so in-flight calls end through the drain (logged and
# billed) rather than by SIGKILL. For longer streams raise both: -e APIYI_SHUTDOWN_TIMEOUT=30 with `docker stop -t 35`
# (`docker run --stop-timeout 35`, compose `stop_grace_period: 35s`).
ENV APIYI_HOST=0.0.0.0 \
    APIYI_PORT=3000 \
    APIYI_DATA_DIR=/data \
    APIYI_SHUTDOWN_TIMEOUT=8 \
    BUN_CONFIG_MAX_HTTP_REQUESTS=16384
VOLUME ["/data"]
EXPOSE 3000
STOPSIGNAL SIGTERM
USER apiyi
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/usr/local/bin/apiyi", "health"]
ENTRYPOINT ["/usr/local/bin/apiyi"]
CMD ["serve"]
