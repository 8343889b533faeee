# syntax=docker/dockerfile:1
# jelou-card: the same install and start commands CI proves (npm ci, which compiles src/ and bundles
# it into dist/jelou-card.js through the prepare script; node dist/jelou-card.js, which is what
# `npm start` runs).

# ── build: install everything, compile, then drop dev dependencies ─────────────────────────────
FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary can be fetched.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# npm ci compiles src/ (the prepare script), so the sources come first.
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts/bundle.mjs ./scripts/
COPY src ./src
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

# ── run: compiled app and production dependencies only, as the unprivileged node user ──────────
FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    HEALTH_PORT=3001 \
    DATABASE_URL=file:/data/jelou-card.db
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# Every send is recorded here before Slack is answered: mount a persistent volume.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
# 3000: Slack's requests in HTTP mode (and /healthz, /readyz, /metrics); 3001: those three in Socket Mode.
EXPOSE 3000 3001
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const p=process.env.SLACK_APP_TOKEN?process.env.HEALTH_PORT:process.env.PORT;fetch(`http://127.0.0.1:${p}/healthz`).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM reaches node directly (exec form), so in-flight sends get their grace period.
CMD ["node", "dist/jelou-card.js"]
