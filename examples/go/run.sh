#!/bin/sh
# examples/go/run.sh - build tickets.go once (into a cache keyed by its
# contents) and exec the binary, so the process benchrun measures is the Go
# program alone, not the go tool that built it.
set -e
src=$(dirname "$0")/tickets.go
if ! command -v go >/dev/null 2>&1; then
	echo "go: not installed: apt-get install golang-go" >&2
	exit 127
fi
cache=${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/benchrun
bin=$cache/tickets-go-$(sha256sum < "$src" | cut -c1-16)
if [ ! -x "$bin" ]; then
	mkdir -p "$cache"
	GOFLAGS=-mod=mod go build -o "$bin.$$" "$src"
	mv "$bin.$$" "$bin"
fi
exec "$bin"
