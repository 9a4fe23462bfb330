#!/usr/bin/env bash
# Builds the base images the service images start from on a machine that cannot pull, from Debian's packages only:
#
#   platform/debian:bookworm        debootstrap minbase + the libraries .NET needs (libc, libssl, libicu, zlib,
#                                   ca-certificates, tzdata) and the user `app` (uid 1654, as in Microsoft's images)
#   platform/base-aspnet:10.0       that + the ASP.NET Core and .NET runtimes copied from this machine's dotnet
#   platform/postgres:15            debootstrap minbase + postgresql-15, with an entrypoint like the postgres image's
#
# The rootfs tarballs are cached under .platform/images/ (a second run only imports, or does nothing when the images
# exist). Uses the Docker Engine of DOCKER_HOST. Usage: deploy/docker/base/build.sh [--force]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
STATE=${PLATFORM_STATE:-$ROOT/.platform}
CACHE=$STATE/images
SUITE=bookworm
APP_UID=1654
BASE_PACKAGES=ca-certificates,libc6,libgcc-s1,libstdc++6,libssl3,libicu72,zlib1g,tzdata
POSTGRES_PACKAGES=postgresql-15,tzdata
# Bumped when make_rootfs changes what it keeps, so a cached rootfs of an older recipe is made again.
RECIPE=2
FORCE=false
[[ "${1:-}" == "--force" ]] && FORCE=true

log() { printf '[base] %s\n' "$*" >&2; }

source "$ROOT/deploy/docker/docker-build.sh"

# The mirror apt uses on this machine (deb822 or one-line sources), else Debian's CDN.
debian_mirror() {
  local url=""
  if [[ -n "${PLATFORM_DEBIAN_MIRROR:-}" ]]; then echo "$PLATFORM_DEBIAN_MIRROR"; return; fi
  url=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1 || true)
  [[ -z "$url" ]] && url=$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  echo "${url:-http://deb.debian.org/debian}"
}

ensure_debootstrap() {
  command -v debootstrap >/dev/null && return
  log "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
}

# make_rootfs NAME PACKAGES: $CACHE/rootfs-NAME.tar (cached; rebuilt when the package list changes).
make_rootfs() {
  local name=$1 packages=$2
  local tarball=$CACHE/rootfs-$name.tar stamp=$CACHE/rootfs-$name.packages
  if ! $FORCE && [[ -s "$tarball" && "$(cat "$stamp" 2>/dev/null)" == "$RECIPE $SUITE $packages" ]]; then
    log "rootfs $name: cached ($tarball)"
    return
  fi
  ensure_debootstrap
  local dir; dir=$(mktemp -d "$CACHE/rootfs-$name.XXXXXX")
  local started=$SECONDS
  log "rootfs $name: debootstrap --variant=minbase $SUITE from $(debian_mirror) (+ $packages) ..."
  debootstrap --variant=minbase --include="$packages" --cache-dir="$CACHE/debs" \
    "$SUITE" "$dir" "$(debian_mirror)" >"$CACHE/debootstrap-$name.log" 2>&1 \
    || { tail -20 "$CACHE/debootstrap-$name.log" >&2; rm -rf "$dir"; return 1; }
  chroot "$dir" groupadd --gid "$APP_UID" app
  chroot "$dir" useradd --no-log-init --uid "$APP_UID" --gid "$APP_UID" --create-home app
  if [[ -d "$dir/usr/lib/postgresql" ]]; then
    # The package's postinst made a cluster of its own; the image's entrypoint makes one in PGDATA instead.
    rm -rf "$dir"/var/lib/postgresql/* "$dir"/etc/postgresql/*
    mkdir -p "$dir/var/lib/postgresql/data" "$dir/var/run/postgresql"
    chroot "$dir" chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
  fi
  # An image needs neither apt's package lists and downloads nor documentation and message translations (33 MB).
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/* "$dir"/var/cache/debconf/*-old \
    "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/usr/share/locale/* "$dir"/var/log/*.log
  tar --numeric-owner -C "$dir" -cf "$tarball.tmp" .
  rm -rf "$dir"
  mv "$tarball.tmp" "$tarball"
  echo "$RECIPE $SUITE $packages" >"$stamp"
  log "rootfs $name: $(du -h "$tarball" | cut -f1) in $((SECONDS - started))s"
}

# import_rootfs NAME TAG CHANGES...: docker import unless TAG already holds this tarball (label platform.rootfs).
import_rootfs() {
  local name=$1 tag=$2; shift 2
  local tarball=$CACHE/rootfs-$name.tar sum
  sum=$(stat -c '%s-%Y' "$tarball")
  if [[ "$(docker image inspect --format '{{index .Config.Labels "platform.rootfs"}}' "$tag" 2>/dev/null)" == "$sum" ]]; then
    log "$tag: up to date"
    return
  fi
  local changes=(--change "LABEL platform.rootfs=$sum")
  local c
  for c in "$@"; do changes+=(--change "$c"); done
  docker import "${changes[@]}" "$tarball" "$tag" >/dev/null
  log "$tag: imported"
}

# The ASP.NET Core shared framework (with the .NET runtime under it) of this machine's dotnet, as a build context.
aspnet_context() {
  local ctx=$1
  local dotnet_root; dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  local aspnet netcore
  aspnet=$(dotnet --list-runtimes | awk '$1 == "Microsoft.AspNetCore.App" && $2 ~ /^10\./ {v=$2} END {print v}')
  netcore=$(dotnet --list-runtimes | awk '$1 == "Microsoft.NETCore.App" && $2 ~ /^10\./ {v=$2} END {print v}')
  [[ -n "$aspnet" && -n "$netcore" ]] || { log "no .NET 10 ASP.NET Core runtime in $dotnet_root (dotnet --list-runtimes)"; return 1; }
  mkdir -p "$ctx/dotnet/shared" "$ctx/dotnet/host"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$ctx/dotnet/" 2>/dev/null || cp -a "$dotnet_root/dotnet" "$ctx/dotnet/"
  cp -a "$dotnet_root/host/fxr" "$ctx/dotnet/host/"
  mkdir -p "$ctx/dotnet/shared/Microsoft.NETCore.App" "$ctx/dotnet/shared/Microsoft.AspNetCore.App"
  cp -a "$dotnet_root/shared/Microsoft.NETCore.App/$netcore" "$ctx/dotnet/shared/Microsoft.NETCore.App/"
  cp -a "$dotnet_root/shared/Microsoft.AspNetCore.App/$aspnet" "$ctx/dotnet/shared/Microsoft.AspNetCore.App/"
  echo "$aspnet"
}

main() {
  mkdir -p "$CACHE/debs"
  docker version --format '{{.Server.Version}}' >/dev/null || { log "no Docker Engine at ${DOCKER_HOST:-the default socket}"; return 1; }
  make_rootfs runtime "$BASE_PACKAGES"
  make_rootfs postgres "$POSTGRES_PACKAGES"
  import_rootfs runtime platform/debian:$SUITE "ENV LANG=C.UTF-8" "CMD [\"bash\"]"
  import_rootfs postgres platform/postgres-rootfs:15 "ENV LANG=C.UTF-8" "CMD [\"bash\"]"

  local ctx; ctx=$(mktemp -d /tmp/platform-base.XXXXXX)
  trap 'rm -rf "$ctx"' RETURN
  local version; version=$(aspnet_context "$ctx")
  cp "$ROOT/deploy/docker/base/aspnet.Dockerfile" "$ctx/Dockerfile"
  docker_build --build-arg BASE_IMAGE=platform/debian:$SUITE --build-arg ASPNET_VERSION="$version" \
    -t platform/base-aspnet:10.0 -t "platform/base-aspnet:$version" "$ctx"
  log "platform/base-aspnet:10.0: ASP.NET Core $version"

  rm -rf "${ctx:?}"/*
  cp "$ROOT/deploy/docker/base/postgres.Dockerfile" "$ctx/Dockerfile"
  cp "$ROOT/deploy/docker/base/postgres-entrypoint.sh" "$ctx/"
  docker_build -t platform/postgres:15 "$ctx"
  log "platform/postgres:15: built"
  docker images --format 'table {{.Repository}}:{{.Tag}}\t{{.Size}}' | grep -E 'platform/(debian|base-aspnet|postgres):' >&2 || true
}

main "$@"
