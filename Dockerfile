# The residiff container image, built by GoReleaser from the released
# binary: nothing but the binary, the CA certificates it needs to reach the
# docs repository and Slack over HTTPS, and an empty world-writable /tmp
# (sticky, as on any system) for temporary files. Mount one writable volume
# at /work with the configuration, state, cache and report files:
#
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/work" IMAGE run --config residiff.yaml
FROM debian:stable-slim AS certs
RUN apt-get update -qq && apt-get install -y -qq ca-certificates >/dev/null \
 && mkdir -p /rootfs/tmp /rootfs/work && chmod 1777 /rootfs/tmp && chown 65532:65532 /rootfs/work

FROM scratch
ARG TARGETPLATFORM
COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=certs /rootfs/ /
COPY ${TARGETPLATFORM}/residiff /residiff
ENV TMPDIR=/tmp HOME=/work
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/residiff"]
CMD ["run"]
