# ssrmock in a container: one static binary, run as an unprivileged user.
#
#   docker build -t ssrmock .
#   docker run --rm -p 8080:8080 -e SSRMOCK_SERVE_CONTROL_TOKEN=change-me ssrmock
#
# The image's entry point is the ssrmock command, so any subcommand works:
#   docker run --rm ssrmock roster --seed 1 --scale tiny --format csv
#
# Listening beyond loopback, `ssrmock serve` refuses to start without a control token: set
# SSRMOCK_SERVE_CONTROL_TOKEN (or pass --control-token).

# The Go version of go.mod's go directive.
ARG GO_VERSION=1.26.8

FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
# Modules first, so that a source change does not download them again. go.mod replaces gopdf
# with the patched copy in third_party/, which go mod download reads.
COPY go.mod go.sum ./
COPY third_party ./third_party
RUN go mod download
COPY . .
# Empty: the version from the build information, "(devel)" in a build from source.
ARG VERSION=
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" \
      -o /out/ssrmock ./cmd/ssrmock \
 && mkdir -p /out/reports \
 && echo 'ssrmock:x:10001:10001:ssrmock:/:/sbin/nologin' > /out/passwd \
 && echo 'ssrmock:x:10001:' > /out/group

# busybox's static wget answers docker-compose's health checks; nothing else of it is kept.
FROM busybox:1.37-musl AS busybox

FROM scratch
COPY --from=build /out/passwd /etc/passwd
COPY --from=build /out/group /etc/group
COPY --from=busybox /bin/busybox /bin/wget
COPY --from=build /out/ssrmock /ssrmock
COPY --from=build --chown=10001:10001 /out/reports /reports
USER 10001:10001
# 8080: `ssrmock serve`; 9000: `ssrmock vendor --listen :9000`.
EXPOSE 8080 9000
ENTRYPOINT ["/ssrmock"]
CMD ["serve", "--addr", "0.0.0.0:8080"]
