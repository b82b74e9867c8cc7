# One image for every frontdesk binary (frontdesk-api, -worker, -web, -ctl); each
# Deployment names its binary in `command`. Build from the repository root:
#   docker build --build-arg FRONTDESK_VERSION="$(git describe --tags --always --dirty)" \
#                -t REGISTRY/frontdesk:TAG .
# or `make image` (ops/image-build.sh: Docker, else podman or buildah, then checks the
# image by running it; docs/deploy.md, "Building the image").
# The version is passed in because .dockerignore keeps .git out of the build context;
# every binary prints it (--version) and exports it (frontdesk_build_info).

FROM debian:12-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      build-essential pkg-config libhiredis-dev libevent-dev libpq-dev libcurl4-openssl-dev \
      libmsgpack-dev libjansson-dev libsodium-dev zlib1g-dev npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
ARG FRONTDESK_VERSION=unknown
# npm: the dashboard's libraries (package-lock.json), embedded in frontdesk-web. Behind a
# proxy that re-signs TLS, npm must trust the proxy's CA: pass a CA bundle as the build
# secret ca_bundle (`--secret id=ca_bundle,src=FILE`, which ops/image-build.sh does from
# IMAGE_CA_BUNDLE); a secret is mounted for this step only and stored in no layer.
RUN --mount=type=secret,id=ca_bundle \
    if [ -s /run/secrets/ca_bundle ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca_bundle; fi; \
    make -j"$(nproc)" FRONTDESK_VERSION="$FRONTDESK_VERSION" \
      NPM_CI="npm ci --omit=dev --no-audit --no-fund" binaries

FROM debian:12-slim
# Runtime libraries only; tzdata because the receptionist keeps each business's own
# clock (lib/calendar reads /usr/share/zoneinfo).
RUN apt-get update && apt-get install -y --no-install-recommends \
      libhiredis0.14 libevent-2.1-7 libevent-pthreads-2.1-7 libpq5 libcurl4 libmsgpackc2 \
      libjansson4 libsodium23 zlib1g ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 10001 frontdesk \
    && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin frontdesk
COPY --from=build /src/bin/ /usr/local/bin/
# Numeric, so Kubernetes can verify runAsNonRoot without reading /etc/passwd.
USER 10001:10001
EXPOSE 8080 8081 9090
ENTRYPOINT ["/usr/local/bin/frontdesk-api"]
