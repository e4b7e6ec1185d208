# The residiff container image, built by GoReleaser from the released
# binary: nothing but the binary and the CA certificates it needs to reach
# the docs repository and Slack over HTTPS.
FROM debian:stable-slim AS certs
RUN apt-get update -qq && apt-get install -y -qq ca-certificates >/dev/null

FROM scratch
ARG TARGETPLATFORM
COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY ${TARGETPLATFORM}/residiff /residiff
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/residiff"]
CMD ["run"]
