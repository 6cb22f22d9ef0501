# A `docker init`-style Dockerfile for Go, recreated from memory of docker init's Go
# template (not copied from it) for the benchmark: bind mounts for go.mod and the source,
# a cache mount for the module cache only (no Go build cache mount), no -s -w,
# an alpine runtime with a non-root user.
# Adapted minimally, and only where this machine or service requires it:
# - no `# syntax=docker/dockerfile:1` line: it makes BuildKit pull a frontend image, and
#   no registry is reachable here; the embedded frontend supports the same mounts.
# - golang:1.26-alpine and alpine:3.21 instead of golang:${GO_VERSION} and alpine:latest:
#   the images available here (local stand-ins).
# - no go.sum bind mount: the service is stdlib-only and has no go.sum.
# - `apk add ca-certificates tzdata` cannot reach a package repository here, so the same
#   files (CA bundle, zoneinfo) are copied from the builder; the stand-in alpine has no
#   adduser applet, so the user is appended to /etc/passwd, which is what adduser does.
# - EXPOSE 8080 instead of 8000: the service's port.
ARG GO_VERSION=1.26
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS build
WORKDIR /src

RUN --mount=type=cache,target=/go/pkg/mod/ \
    --mount=type=bind,source=go.mod,target=go.mod \
    go mod download -x

ARG TARGETARCH

RUN --mount=type=cache,target=/go/pkg/mod/ \
    --mount=type=bind,target=. \
    CGO_ENABLED=0 GOARCH=$TARGETARCH go build -o /bin/server .

FROM alpine:3.21 AS final

COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo

ARG UID=10001
RUN echo "appuser:x:${UID}:${UID}::/nonexistent:/sbin/nologin" >> /etc/passwd && \
    echo "appuser:x:${UID}:" >> /etc/group
USER appuser

COPY --from=build /bin/server /bin/

EXPOSE 8080

ENTRYPOINT [ "/bin/server" ]
