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
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin apiyi \
 && mkdir -p /data && chown apiyi:apiyi /data
COPY --from=build /src/apiyi /usr/local/bin/apiyi
# BUN_CONFIG_MAX_HTTP_REQUESTS lifts Bun's 256 in-flight fetch cap at process start; with it set,
# `serve` does not need to relaunch itself to set it
ENV APIYI_HOST=0.0.0.0 \
    APIYI_PORT=3000 \
    APIYI_DATA_DIR=/data \
    BUN_CONFIG_MAX_HTTP_REQUESTS=16384
VOLUME ["/data"]
EXPOSE 3000
USER apiyi
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/usr/local/bin/apiyi", "health"]
ENTRYPOINT ["/usr/local/bin/apiyi"]
CMD ["serve"]
