# syntax=docker/dockerfile:1
# Build stage: compile main.ts and its npm dependencies into one executable.
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
# CONNECTOR_*, SILENTPUSH_*, PROOFPOINT_ET_INTELLIGENCE_*), or mount a
# config.yml into the working directory.
EXPOSE 9095
ENTRYPOINT ["/usr/local/bin/opencti-enrich"]
CMD ["run"]
