# Builds the Drover agent and fleetctl into a small image.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 make build

FROM debian:bookworm-slim
COPY --from=build /src/bin/agent /usr/local/bin/drover-agent
COPY --from=build /src/bin/fleetctl /usr/local/bin/fleetctl
VOLUME /var/lib/drover
EXPOSE 9110
ENTRYPOINT ["/usr/local/bin/drover-agent"]
