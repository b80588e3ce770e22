# Two stages: a Rust/musl builder, and a final image that holds nothing but the
# static binary. The builder runs natively on each target platform (buildx runs
# the arm64 build under QEMU), so no cross linker is needed. Plain `docker build`
# (the runner's `image: Dockerfile` path) and act's classic builder work too:
# nothing here needs BuildKit-only features.

FROM rust:1.95.0-alpine AS builder

# Set by buildx/BuildKit; empty under the classic builder, where the machine
# architecture decides instead (the build is native either way).
ARG TARGETARCH

WORKDIR /build

# Dependencies first, against a stub main, so that a change in src/ reuses the
# compiled dependency layer. benches/ comes along only because Cargo.toml
# declares a [[bench]], and Cargo will not read a manifest whose declared
# target is missing; `cargo build` does not compile it.
COPY Cargo.toml Cargo.lock ./
COPY benches ./benches
RUN set -eux; \
    case "${TARGETARCH:-$(uname -m)}" in \
        amd64|x86_64) arch=x86_64 ;; \
        arm64|aarch64) arch=aarch64 ;; \
        *) echo "unsupported architecture: ${TARGETARCH:-$(uname -m)}" >&2; exit 1 ;; \
    esac; \
    echo "${arch}-unknown-linux-musl" > /build/target-triple; \
    mkdir src; \
    echo 'fn main() {}' > src/main.rs; \
    cargo build --release --locked --target "$(cat /build/target-triple)"; \
    rm -rf src

COPY src ./src
# COPY keeps the context's modification times, which can be older than the
# stub's: touch the sources so Cargo rebuilds the crate itself.
RUN set -eux; \
    triple="$(cat /build/target-triple)"; \
    find src -type f -exec touch {} +; \
    cargo build --release --locked --target "$triple"; \
    cp "target/${triple}/release/cloudflare-purge" /cloudflare-purge

FROM scratch

ARG SOURCE_URL=""
LABEL org.opencontainers.image.title="cloudflare-purge" \
      org.opencontainers.image.description="GitHub container action that checks Cloudflare credentials, then purges the cache, naming the cause when anything is wrong." \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="${SOURCE_URL}"

# TLS roots are compiled into the binary (webpki-roots): no CA bundle, no libc,
# no shell. GitHub's docs ask container actions not to set USER or WORKDIR.
COPY --from=builder /cloudflare-purge /cloudflare-purge
ENTRYPOINT ["/cloudflare-purge"]
