# bugsweep in a container: Node 24 slim, production dependencies only (npm ci --omit=dev), a non-root user,
# HEALTHCHECK on /healthz, the embedded PostgreSQL's data folder as a volume, and node itself as PID 1 so the
# SIGTERM of `docker stop` reaches the bot directly (no npm, no shell in between) and it stops gracefully.
#   docker build -t bugsweep .
#   docker run -d --env-file .env -p 3000:3000 -v bugsweep-data:/data bugsweep      # embedded PostgreSQL in /data
# compose.yaml runs it against a PostgreSQL server instead (DATABASE_URL). The Node version is the one package.json
# pins as its `node` dependency (test/unit/deployment.test.ts keeps them equal).
ARG NODE_VERSION=24.21.0

FROM node:${NODE_VERSION}-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# The `node` package is how `npm start` gets Node 24 on a bare machine; this image has that Node already.
RUN npm ci --omit=dev --no-audit --no-fund && rm -rf node_modules/node node_modules/.bin/node

FROM node:${NODE_VERSION}-slim
# NODE_COMPILE_CACHE in the volume: from the second start of a container on, the sources load without Node's type
# stripper (about 18 MB less resident memory) and compile faster (bin/bugsweep.mjs turns the cache on).
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data \
    NODE_COMPILE_CACHE=/data/node-compile-cache
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY migrations ./migrations
# The image's own user `node` (uid 1000) owns only the data folder; the code stays read-only to it.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# Start-up applies migrations (and, without DATABASE_URL, starts the embedded PostgreSQL): allow a minute.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", "bin/healthcheck.mjs"]
# The bot finishes in-flight work on SIGTERM and force-exits after 25 s: give it `docker stop -t 30`.
STOPSIGNAL SIGTERM
# The V8 flags are npm start's (package.json; test/unit/deployment.test.ts keeps them equal): a young generation of at
# most 4 MB per semi-space and a heap that grows slowly, so a stream of garbage requests leaves RSS near idle (without
# them V8 kept ~130 MB of empty young generation and uncollected old space after 18,000 of them: npm run bench:garbage).
CMD ["node", "--max-semi-space-size=4", "--optimize-for-size", "bin/bugsweep.mjs"]
