# Build: the bundle in dist/ is self-contained (all dependencies inlined by esbuild).
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# KRM function image (kpt fn eval --image, kustomize container functions): reads a ResourceList on stdin.
FROM node:20-alpine AS krm
WORKDIR /fn
COPY --from=build /src/dist ./dist
USER 2000:2000
ENTRYPOINT ["node", "/fn/dist/auth0-eventstream-fn.mjs"]

# Crossplane runtime image (crossplane xpkg build --embed-runtime-image=...): serves gRPC on 9443 with
# mTLS certificates from /tls/server, as the function pod provides them.
FROM krm AS crossplane
EXPOSE 9443
CMD ["serve"]

# The default target is the KRM function.
FROM krm
