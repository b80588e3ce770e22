# The release image: the static Linux binary of the Release workflow, built and
# started on a runner of its own platform, alone in an empty image. Built by
# .github/workflows/release.yml with buildx for linux/amd64 and linux/arm64,
# with dist/ as the build context:
#     dist/linux-amd64/cloudflare-purge   (x86_64-unknown-linux-musl)
#     dist/linux-arm64/cloudflare-purge   (aarch64-unknown-linux-musl)
# Nothing runs during the build, so neither platform needs QEMU or a Rust
# toolchain. The Dockerfile beside this one (what action.yml names on main)
# still builds the image from source.

FROM scratch

# Set by buildx for each platform it builds.
ARG TARGETARCH
ARG SOURCE_URL=""
LABEL org.opencontainers.image.title="cloudflare-purge" \
      org.opencontainers.image.description="GitHub container action that checks Cloudflare credentials, then purges the cache, naming the cause when anything is wrong." \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="${SOURCE_URL}"

# TLS roots are compiled into the binary (webpki-roots): no CA bundle, no libc,
# no shell. GitHub's docs ask container actions not to set USER or WORKDIR.
COPY --chmod=0755 linux-${TARGETARCH}/cloudflare-purge /cloudflare-purge
ENTRYPOINT ["/cloudflare-purge"]
