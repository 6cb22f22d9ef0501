# The seed guides' pattern (seeds 000 and 004), recreated from their text for the benchmark.
# Adapted minimally, and only where this machine or service requires it:
# - golang:1.26-alpine instead of golang:1.22: the service's go.mod says go 1.26, and this
#   is the builder image available here (a local stand-in; no registry).
# - COPY go.mod ./ instead of COPY go.mod go.sum ./: the service is stdlib-only, so it has
#   no go.sum and COPY of a missing file fails.
# - /usr/share/zoneinfo is copied next to the CA bundle, so the image can load time zones
#   as the plugin's image can (the plugin embeds them with -tags timetzdata instead).
FROM golang:1.26-alpine AS build
WORKDIR /app
COPY go.mod ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -ldflags="-s -w" -o /app/server .

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo
COPY --from=build /app/server /server
ENTRYPOINT ["/server"]
