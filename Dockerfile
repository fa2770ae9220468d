# Build: dist/ is self-contained (dependencies inlined by esbuild). Build and runtime share one Node.js image, so
# the V8 code cache written at build time (dist/krm.cjs.cache) matches the runtime.
FROM node:20-alpine AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY examples ./examples
RUN npm run build

# KRM function image (kpt fn eval --image, kustomize container functions): reads a ResourceList on stdin.
FROM node:20-alpine AS krm
WORKDIR /fn
COPY --from=build /src/dist ./dist
USER 2000:2000
ENTRYPOINT ["node", "/fn/dist/auth0-eventstream-fn.cjs"]

# Crossplane runtime image (crossplane xpkg build --embed-runtime-image=...): serves gRPC on 9443 with
# mTLS certificates from /tls/server, as the function pod provides them.
FROM krm AS crossplane
EXPOSE 9443
CMD ["serve"]

# The default target is the KRM function.
FROM krm
