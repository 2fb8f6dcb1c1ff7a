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
ENV APIYI_HOST=0.0.0.0 \
    APIYI_PORT=3000 \
    APIYI_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 3000
USER apiyi
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/usr/local/bin/apiyi", "health"]
ENTRYPOINT ["/usr/local/bin/apiyi"]
CMD ["serve"]
