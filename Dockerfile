# One image for every frontdesk binary (api, ctl; the worker joins it with its issue).
# Build from the repository root: docker build -f k8s/Dockerfile -t frontdesk:TAG .
FROM debian:12 AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      build-essential pkg-config libhiredis-dev libevent-dev libpq-dev libcurl4-openssl-dev \
      libmsgpack-dev libjansson-dev libsodium-dev zlib1g-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make clean && make -j"$(nproc)" binaries

FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      libhiredis0.14 libevent-2.1-7 libevent-pthreads-2.1-7 libpq5 libcurl4 libmsgpackc2 \
      libjansson4 libsodium23 zlib1g ca-certificates tzdata && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 frontdesk
COPY --from=build /src/bin/ /usr/local/bin/
USER 10001
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/frontdesk-api"]
