# syntax=docker/dockerfile:1
# Build stage: compile main.ts and its npm dependencies into one executable,
# with the permissions of deno.json's compile task (the same as `deno task dev`).
FROM denoland/deno:2.9.6 AS build
WORKDIR /src
COPY deno.json deno.lock ./
COPY main.ts ./
COPY lib ./lib
RUN deno install --frozen --entrypoint main.ts \
 && deno task compile \
 && ./dist/opencti-enrich version

# Runtime stage: only the binary, on a minimal glibc base, as a non-root user.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/dist/opencti-enrich /usr/local/bin/opencti-enrich
USER nonroot
WORKDIR /home/nonroot
# Configuration comes from environment variables (OPENCTI_URL, OPENCTI_TOKEN,
# CONNECTOR_ID (required: a UUIDv4 of your own), CONNECTOR_*, SILENTPUSH_*,
# PROOFPOINT_ET_INTELLIGENCE_*), or mount a config.yml next to the binary or
# into the working directory. `docker run … opencti-enrich check` runs every
# start-up step without consuming. A platform behind a private CA: mount its
# CA bundle and set OPENCTI_SSL_VERIFY to its path.
EXPOSE 9095
ENTRYPOINT ["/usr/local/bin/opencti-enrich"]
CMD ["run"]
