# syntax=docker/dockerfile:1
# Multi-stage build: compile TypeScript with dev dependencies, ship only the runtime.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# The built-in Procore emulator, for the demo only (docker-compose.yml's `emulator` service): the
# build stage with its dev dependencies, run by tsx. The runtime stage below ships none of it: no
# emulator, no demo entry point, no demo password.
FROM build AS demo
COPY emulator ./emulator
CMD ["npx", "tsx", "emulator/main.ts"]

# The production image (the default target: the last stage).
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY views ./views
COPY public ./public
# The official image ships an unprivileged "node" user (uid 1000).
USER node
EXPOSE 3000 9464
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The same Node flags as `npm start` (package.json): a smaller young generation and old generation
# growth of 30% per major GC keep the heap near what is in use (see README, Benchmarks: Memory).
CMD ["node", "--max-semi-space-size=8", "--heap-growing-percent=30", "dist/main.js"]
