# Courtesy Loop: build with the dev dependencies, run with the production ones and the compiled dist/ only.
#   docker build -t courtesy-loop .
#   docker run -d --env-file .env -v courtesy-loop-data:/data -v "$PWD/data/org.yaml:/config/org.yaml:ro" courtesy-loop
# compose.yaml beside this file does the same (Socket Mode by default).

ARG NODE_IMAGE=node:20-bookworm-slim

# better-sqlite3 and @resvg/resvg-js install prebuilt binaries for glibc; the tool chain is only a fallback
# for a platform without one.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM toolchain AS production-deps
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATABASE_PATH=/data/courtesy-loop.db \
    ORG_CONFIG=/config/org.yaml
WORKDIR /app
COPY --from=production-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY data/org.example.yaml ./data/org.example.yaml
# The database lives on a volume owned by the unprivileged user the app runs as.
RUN mkdir -p /data /config && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# /healthz answers 503 when a restart would help (database unusable, Socket Mode not connected).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node runs as PID 1 (no shell, no npm in between): SIGTERM from `docker stop` reaches the app, which drains
# posts under way (SHUTDOWN_DRAIN_MS) and exits.
STOPSIGNAL SIGTERM
# The node options (heap bounds, one V8 helper thread) are npm start's (package.json; README, "Deploy it").
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=200", "--v8-pool-size=1", "dist/main.js"]
