# Two images from one build:
#   --target krm         the KRM function (kpt fn eval --image, kpt Kptfile `image:`, kustomize container functions)
#   --target crossplane  the Crossplane function runtime (crossplane xpkg build --embed-runtime-image=...)
#
# NODE_IMAGE is the Node.js base of both stages. They must be the same image: the build writes V8's code cache
# for the KRM entry point (dist/krm.cjs.cache), which only the Node.js version that wrote it can use.
#
# npm ci needs the registry. Behind a proxy with its own CA, pass the CA file as a build secret; it is mounted for
# that one step and never written into a layer:
#   docker build --secret id=npm-ca,src="$NODE_EXTRA_CA_CERTS" --target krm -t auth0-eventstream-fn .
ARG NODE_IMAGE=docker.io/library/node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npm-ca --mount=type=cache,target=/root/.npm \
    if [ -s /run/secrets/npm-ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm-ca; fi; \
    npm ci --ignore-scripts --no-audit --no-fund --no-update-notifier --loglevel=error
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
# The code cache is written by one run over the kpt examples.
COPY examples/kpt ./examples/kpt
RUN npm run build --silent

FROM ${NODE_IMAGE} AS krm
WORKDIR /fn
COPY --from=build /src/dist ./dist
# kpt runs function images as `nobody` unless told otherwise; Crossplane runs them as 2000:2000. Nothing is written.
USER 2000:2000
ENTRYPOINT ["node", "/fn/dist/auth0-eventstream-fn.cjs"]

# Serves RunFunction over gRPC on 9443 with the mTLS certificates Crossplane mounts at /tls/server.
FROM krm AS crossplane
ENV TLS_SERVER_CERTS_DIR=/tls/server
EXPOSE 9443
CMD ["serve"]

# The default target is the KRM function.
FROM krm
