# docker_build ARGS...: docker build, quiet unless it fails (the classic builder's deprecation notice is not news on
# every image). Sourced by deploy/docker/base/build.sh and deploy/local/images.sh.
docker_build() {
  local out
  out=$(docker build "$@" 2>&1) || { printf '%s\n' "$out" >&2; return 1; }
}
