#!/usr/bin/env bash
# Ensures the base images that the generated Dockerfile / compose files use by
# default exist locally. Each is pulled when a registry is reachable; when it
# is not, a stand-in is built from Debian packages and labelled
# nx-go-docker.stand-in=true:
#   golang:<installed minor>-alpine            busybox + the installed Go tree (go.sh)
#   postgres:17-alpine                         debootstrap trixie + postgresql-17 + entrypoint
#   gcr.io/distroless/static-debian12:nonroot  certs, zoneinfo, passwd; no shell
#   alpine:3.21                                busybox + certs
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v go >/dev/null 2>&1 || die "no go on PATH" "run scripts/setup/go.sh first"
GO_MINOR=$(go env GOVERSION | sed -n 's/^go\([0-9]*\.[0-9]*\).*/\1/p')
GOLANG_IMAGE=golang:$GO_MINOR-alpine
POSTGRES_IMAGE=postgres:17-alpine
DISTROLESS_IMAGE=gcr.io/distroless/static-debian12:nonroot
ALPINE_IMAGE=alpine:3.21
STANDIN_LABEL='LABEL nx-go-docker.stand-in=true'
STD_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
PULL_TIMEOUT=${PULL_TIMEOUT:-20}

dk info >/dev/null 2>&1 || die "docker engine not running" "run scripts/setup/docker.sh first"

WORK=""
cleanup() {
  [ -n "$WORK" ] && [ -d "$WORK" ] || return 0
  # debootstrap may leave proc/sys mounted inside its target when it fails.
  awk -v w="$WORK" 'index($2, w) == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do
    $SUDO umount -l "$m" 2>/dev/null || true
  done
  $SUDO rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT
workdir() {               # NAME: a fresh folder under $WORK (set before any build)
  mktemp -d "$WORK/$1.XXXXXX"
}

# ---- pieces shared by the stand-ins ---------------------------------------

BUSYBOX=""
busybox_bin() {           # a static busybox binary (from trixie's busybox-static)
  if [ -z "$BUSYBOX" ]; then
    local d; d=$(workdir busybox)
    apt_download_extract "$d" busybox-static/trixie
    if [ -x "$d/usr/bin/busybox" ]; then BUSYBOX=$d/usr/bin/busybox; else BUSYBOX=$d/bin/busybox; fi
    [ -n "$BUSYBOX" ] && "$BUSYBOX" true || die "busybox-static has no usable busybox binary" "check 'dpkg -c' of busybox-static"
  fi
  printf '%s\n' "$BUSYBOX"
}

add_busybox() {           # ROOT: /bin/busybox, /bin/sh and every applet as links
  local root=$1 bb p
  bb=$(busybox_bin)
  $SUDO install -D -m 755 "$bb" "$root/bin/busybox"
  for p in $("$bb" --list-full); do
    [ -e "$root/$p" ] || [ -L "$root/$p" ] && continue
    $SUDO mkdir -p "$root/$(dirname "$p")"
    $SUDO ln -s /bin/busybox "$root/$p"
  done
  [ -L "$root/bin/sh" ] || $SUDO ln -s /bin/busybox "$root/bin/sh"
}

add_certs_tz() {          # ROOT: CA bundle and zone database from the host
  local root=$1
  [ -s /etc/ssl/certs/ca-certificates.crt ] || apt_install ca-certificates
  [ -d /usr/share/zoneinfo ] && [ -e /usr/share/zoneinfo/UTC ] || apt_install tzdata
  $SUDO install -D -m 644 /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
  $SUDO mkdir -p "$root/usr/share"
  $SUDO cp -a /usr/share/zoneinfo "$root/usr/share/zoneinfo"
}

add_users() {             # ROOT [nonroot]: passwd/group, /root, 1777 /tmp
  local root=$1 nonroot=${2:-} sh=/bin/sh
  if [ -n "$nonroot" ]; then sh=/sbin/nologin; fi
  $SUDO mkdir -p "$root/etc" "$root/root" "$root/tmp"
  $SUDO chmod 700 "$root/root"
  $SUDO chmod 1777 "$root/tmp"
  {
    echo "root:x:0:0:root:/root:$sh"
    echo "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin"
    if [ -n "$nonroot" ]; then echo "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin"; fi
  } | $SUDO tee "$root/etc/passwd" >/dev/null
  {
    echo "root:x:0:"
    echo "nobody:x:65534:"
    if [ -n "$nonroot" ]; then echo "nonroot:x:65532:"; fi
  } | $SUDO tee "$root/etc/group" >/dev/null
  printf 'hosts: files dns\n' | $SUDO tee "$root/etc/nsswitch.conf" >/dev/null
}

os_release() {            # ROOT NAME
  printf 'NAME="nx-go-docker stand-in"\nPRETTY_NAME="nx-go-docker stand-in for %s (built from Debian packages)"\nID=nx-go-docker-stand-in\n' "$2" \
    | $SUDO tee "$1/etc/os-release" >/dev/null
}

import_root() {           # ROOT NAME CHANGE...  (tar the folder into an image)
  local root=$1 name=$2; shift 2
  local args=(-c "$STANDIN_LABEL") c
  for c in "$@"; do args+=(-c "$c"); done
  hint "docker import of $name failed; see the daemon's error above"
  $SUDO tar -C "$root" --numeric-owner -cf - . | dk import "${args[@]}" - "$name" >/dev/null
  hint ""
}

# ---- the stand-ins ---------------------------------------------------------

build_golang() {
  local goroot root
  goroot=$(go env GOROOT)
  root=$(workdir golang)
  add_busybox "$root"
  add_certs_tz "$root"
  add_users "$root"
  os_release "$root" "$GOLANG_IMAGE"
  log "copying Go tree $goroot into the $GOLANG_IMAGE stand-in"
  $SUDO mkdir -p "$root/usr/local"
  # -L: a Debian Go tree links into /usr/share/go-*; the image needs real files.
  $SUDO cp -aL "$goroot" "$root/usr/local/go"
  $SUDO rm -rf "$root/usr/local/go/test"     # Go's own test suite, never used by builds
  $SUDO mkdir -p "$root/go/bin" "$root/go/src"
  $SUDO chmod -R 1777 "$root/go"
  import_root "$root" "$GOLANG_IMAGE" \
    "ENV PATH=/usr/local/go/bin:/go/bin:$STD_PATH" \
    'ENV GOPATH=/go' 'ENV GOTOOLCHAIN=local' 'ENV HOME=/root' \
    'WORKDIR /go' 'CMD ["/bin/sh"]'
  # Smoke test: the compiler runs and finds its cache dir from HOME.
  local out
  out=$(dk run --rm "$GOLANG_IMAGE" sh -c 'go version && go env GOCACHE && cd /tmp && printf "package main\nfunc main(){println(\"hi\")}\n" > m.go && go run m.go 2>&1') \
    || { dk rmi "$GOLANG_IMAGE" >/dev/null 2>&1 || true; die "$GOLANG_IMAGE stand-in cannot run go: $out" "fix images.sh and re-run"; }
}

build_distroless() {
  local root
  root=$(workdir distroless)
  add_certs_tz "$root"
  add_users "$root" nonroot
  os_release "$root" "$DISTROLESS_IMAGE"
  $SUDO install -d -m 700 -o 65532 -g 65532 "$root/home/nonroot"
  import_root "$root" "$DISTROLESS_IMAGE" \
    "ENV PATH=$STD_PATH" 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
    'USER 65532:65532' 'WORKDIR /home/nonroot'
}

build_alpine() {
  local root
  root=$(workdir alpine)
  add_busybox "$root"
  add_certs_tz "$root"
  add_users "$root"
  os_release "$root" "$ALPINE_IMAGE"
  import_root "$root" "$ALPINE_IMAGE" "ENV PATH=$STD_PATH" 'CMD ["/bin/sh"]'
  dk run --rm "$ALPINE_IMAGE" sh -c 'wget --help >/dev/null 2>&1; ls /etc/ssl/certs/ca-certificates.crt' >/dev/null \
    || { dk rmi "$ALPINE_IMAGE" >/dev/null 2>&1 || true; die "$ALPINE_IMAGE stand-in does not run sh" "fix images.sh and re-run"; }
}

# The official image's entrypoint, reduced to what compose setups need.
write_pg_entrypoint() {
  $SUDO tee "$1" >/dev/null <<'ENTRY'
#!/bin/sh
# Stand-in for the official postgres image's docker-entrypoint.sh
# (written by nx-go-docker scripts/setup/images.sh). Supports POSTGRES_USER,
# POSTGRES_PASSWORD, POSTGRES_DB, POSTGRES_HOST_AUTH_METHOD,
# POSTGRES_INITDB_ARGS, PGDATA and /docker-entrypoint-initdb.d/*.sh|*.sql|*.sql.gz.
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA

# "docker run image -c foo=bar" means "postgres -c foo=bar".
if [ "${1#-}" != "$1" ]; then set -- postgres "$@"; fi

as_postgres() {
  if command -v setpriv >/dev/null 2>&1; then
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$@"
  elif command -v runuser >/dev/null 2>&1; then
    exec runuser -u postgres -- "$@"
  else
    exec su -s /bin/sh postgres -c 'exec "$0" "$@"' -- "$@"
  fi
}

if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
  # An empty volume is root-owned: hand it to postgres, then drop root.
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres /var/run/postgresql
  chmod 3777 /var/run/postgresql
  find "$PGDATA" \! -user postgres -exec chown postgres:postgres '{}' +
  chmod 700 "$PGDATA" 2>/dev/null || :
  as_postgres "$0" "$@"
fi

if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  user=${POSTGRES_USER:-postgres}
  db=${POSTGRES_DB:-$user}
  auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
    echo "Error: Database is uninitialized and superuser password is not specified." >&2
    echo "       Set POSTGRES_PASSWORD (or POSTGRES_HOST_AUTH_METHOD=trust)." >&2
    exit 1
  fi
  echo "initdb: user=$user db=$db auth=$auth pgdata=$PGDATA"
  pwfile=""
  if [ -n "${POSTGRES_PASSWORD:-}" ]; then
    pwfile=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  fi
  # shellcheck disable=SC2086
  initdb -D "$PGDATA" --username="$user" ${pwfile:+--pwfile="$pwfile"} \
    --auth-local=trust --auth-host="$auth" --encoding=UTF8 --locale=C.UTF-8 \
    ${POSTGRES_INITDB_ARGS:-} >/dev/null
  if [ -n "$pwfile" ]; then rm -f "$pwfile"; fi
  printf "\nlisten_addresses = '*'\n" >> "$PGDATA/postgresql.conf"
  printf "\nhost all all all %s\n" "$auth" >> "$PGDATA/pg_hba.conf"

  # Temporary server on a private socket only, so pg_isready (a healthcheck)
  # does not report ready before the real server is up.
  PGHOST=$(mktemp -d)
  export PGHOST
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=$PGHOST -p 5432" -w start >/dev/null
  psql_init() { psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$user" "$@"; }
  if [ "$db" != postgres ]; then
    qdb=$(printf '%s' "$db" | sed 's/"/""/g')
    psql_init --dbname postgres -q -c "CREATE DATABASE \"$qdb\""
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    [ -e "$f" ] || continue
    case "$f" in
      *.sh)     echo "running $f"; . "$f" ;;
      *.sql)    echo "running $f"; psql_init --dbname "$db" -f "$f" ;;
      *.sql.gz) echo "running $f"; gzip -dc "$f" | psql_init --dbname "$db" ;;
      *)        echo "ignoring $f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  rmdir "$PGHOST" 2>/dev/null || :
  unset PGHOST
  echo "PostgreSQL init process complete; ready for start up."
fi

exec "$@"
ENTRY
  $SUDO chmod 755 "$1"
}

build_postgres() {
  local uri root tmpname
  command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
  uri=$(mirror_uri)
  root=$(workdir postgres)
  log "debootstrap trixie + postgresql-17 (about a minute; log: $WORK/debootstrap.log)"
  hint "debootstrap failed; see $WORK/debootstrap.log"
  $SUDO debootstrap --variant=minbase --include=postgresql-17 trixie "$root" "$uri" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -n 20 "$WORK/debootstrap.log" >&2; die "debootstrap trixie with postgresql-17" "read the log lines above; re-run scripts/setup/apt-sources.sh and retry"; }
  hint ""
  [ -x "$root/usr/lib/postgresql/17/bin/postgres" ] || die "postgresql-17 missing from the debootstrap root" "check the debootstrap log"
  # Drop the cluster that the package created, caches and docs.
  $SUDO rm -rf "$root/var/lib/postgresql/17" "$root/etc/postgresql/17" \
    "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
    "$root"/var/log/*.log "$root"/var/log/apt/*
  # JIT (LLVM, ~150 MB) is optional: without llvmjit.so postgres runs with jit
  # unavailable. Message catalogs and locale sources are not needed either.
  $SUDO rm -rf "$root"/usr/lib/postgresql/17/lib/llvmjit* "$root"/usr/lib/postgresql/17/lib/bitcode \
    "$root"/usr/lib/x86_64-linux-gnu/libLLVM* "$root"/usr/lib/x86_64-linux-gnu/libz3.so* \
    "$root"/usr/share/locale/* "$root"/usr/share/i18n
  printf '\n# nx-go-docker stand-in: LLVM was removed from the image\njit = off\n' \
    | $SUDO tee -a "$root/usr/share/postgresql/17/postgresql.conf.sample" >/dev/null
  $SUDO mkdir -p "$root/var/lib/postgresql" "$root/var/run/postgresql" "$root/docker-entrypoint-initdb.d"
  write_pg_entrypoint "$root/usr/local/bin/docker-entrypoint.sh"
  # proc/sys must be empty folders in the image.
  tmpname="nx-go-docker-postgres-import:$$"
  import_root "$root" "$tmpname" \
    "ENV PATH=/usr/lib/postgresql/17/bin:$STD_PATH" \
    'ENV PGDATA=/var/lib/postgresql/data' 'ENV LANG=C.UTF-8' \
    'VOLUME /var/lib/postgresql/data' 'EXPOSE 5432' \
    'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["postgres"]'
  # docker import (engine 20.10) rejects STOPSIGNAL; add it with a metadata-only build.
  hint "adding STOPSIGNAL to $POSTGRES_IMAGE failed"
  printf 'FROM %s\nSTOPSIGNAL SIGINT\n' "$tmpname" | DOCKER_BUILDKIT=1 dk build -q -t "$POSTGRES_IMAGE" - >/dev/null
  dk rmi "$tmpname" >/dev/null
  hint ""
  verify_postgres || { dk rmi "$POSTGRES_IMAGE" >/dev/null 2>&1 || true; die "$POSTGRES_IMAGE stand-in failed its check (output above)" "fix images.sh and re-run"; }
}

# Start a container with app/app/app on MOUNT, wait for pg_isready, check
# password auth over TCP (right password works, wrong one is refused).
pg_check() {
  local mount=$1 c="nx-go-docker-pg-check-$$" i out
  dk rm -f "$c" >/dev/null 2>&1 || true
  dk run -d --name "$c" -e POSTGRES_USER=app -e POSTGRES_PASSWORD=app -e POSTGRES_DB=app \
    -v "$mount" "$POSTGRES_IMAGE" >/dev/null || return 1
  for i in $(seq 1 120); do
    dk exec "$c" pg_isready -q -U app -d app 2>/dev/null && break
    if [ "$(dk inspect -f '{{.State.Running}}' "$c")" != true ] || [ "$i" -eq 120 ]; then
      echo "postgres did not become ready; container log:" >&2; dk logs "$c" >&2 2>&1 | tail -n 30 >&2
      dk rm -f "$c" >/dev/null; return 1
    fi
    sleep 0.5
  done
  out=$(dk exec -e PGPASSWORD=app "$c" psql -h 127.0.0.1 -U app -d app -tAc 'select 1' 2>&1) || true
  if [ "$out" != 1 ]; then echo "psql with password over TCP: $out" >&2; dk rm -f "$c" >/dev/null; return 1; fi
  if dk exec -e PGPASSWORD=wrong "$c" psql -h 127.0.0.1 -U app -d app -tAc 'select 1' >/dev/null 2>&1; then
    echo "psql with a wrong password was accepted (auth is not scram)" >&2; dk rm -f "$c" >/dev/null; return 1
  fi
  # SIGINT (STOPSIGNAL) must stop it quickly and cleanly.
  dk stop -t 20 "$c" >/dev/null
  dk logs "$c" 2>&1 | grep -q 'database system is shut down' || { echo "postgres did not shut down cleanly" >&2; dk logs "$c" 2>&1 | tail -n 10 >&2; dk rm -f "$c" >/dev/null; return 1; }
  dk rm -v "$c" >/dev/null
}

verify_postgres() {
  local vol="nx-go-docker-pg-check-$$" bind
  log "checking $POSTGRES_IMAGE: initdb into a root-owned folder, a named volume, and a restart on it"
  bind=$(workdir pgdata)
  $SUDO chown root:root "$bind"
  pg_check "$bind:/var/lib/postgresql/data" || return 1
  dk volume create "$vol" >/dev/null
  pg_check "$vol:/var/lib/postgresql/data" || { dk volume rm "$vol" >/dev/null; return 1; }
  pg_check "$vol:/var/lib/postgresql/data" || { dk volume rm "$vol" >/dev/null; return 1; }
  dk volume rm "$vol" >/dev/null
}

# ---- main -----------------------------------------------------------------

ensure_image() {          # NAME BUILD-FUNCTION
  local name=$1 build=$2 t0
  if dk image inspect "$name" >/dev/null 2>&1; then
    local tag=""
    [ "$(dk image inspect -f '{{index .Config.Labels "nx-go-docker.stand-in"}}' "$name" 2>/dev/null)" = true ] && tag=" (local stand-in)"
    ok "image $name$tag"
    return 0
  fi
  log "pulling $name (timeout ${PULL_TIMEOUT}s)"
  if timeout "$PULL_TIMEOUT" $SUDO docker pull -q "$name" >/dev/null 2>&1; then
    log "pulled $name"
    return 0
  fi
  t0=$SECONDS
  [ -n "$WORK" ] || WORK=$(mktemp -d /var/tmp/nx-go-docker-images.XXXXXX)
  log "building a local stand-in for $name"
  "$build"
  log "$name not pullable (no registry); built a local stand-in from Debian packages ($((SECONDS - t0)) s, $(dk image inspect -f '{{.Size}}' "$name" | awk '{printf "%.0f MB", $1/1e6}'))"
}

ensure_image "$GOLANG_IMAGE" build_golang
ensure_image "$DISTROLESS_IMAGE" build_distroless
ensure_image "$ALPINE_IMAGE" build_alpine
ensure_image "$POSTGRES_IMAGE" build_postgres
