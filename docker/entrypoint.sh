#!/usr/bin/env bash
# Starts the distributor with the JVM flags of jvm.options (contract §1), then the JVM's ahead-of-time cache
# and the flags that go with it (aot.options) if the image has one, then the flags of an optional operator file (the Helm chart mounts one), so a later
# flag such as a bigger -Xmx or -XX:AOTMode=off wins over the project's default. Arguments are passed to the
# application (e.g. "demo-analyzers file.yaml").
set -euo pipefail

app_dir="${LOGS_DISTRIBUTOR_HOME:-/app}"
extra_options="${LOGS_DISTRIBUTOR_EXTRA_JVM_OPTIONS:-/etc/logs-distributor/jvm/jvm.options}"
# written by the image's training stage (docker/train-aot.sh): the classes the app loads and the method
# profiles of a run under load, so a new replica reaches full speed sooner (BENCHMARKS.md, "Warm-up")
aot_cache="${LOGS_DISTRIBUTOR_AOT_CACHE:-$app_dir/logs-distributor.aot}"
# flags that go with the cache (docker/aot.options)
aot_options="${LOGS_DISTRIBUTOR_AOT_OPTIONS:-$app_dir/aot.options}"

flags=()
add_flags_of() {
  local line
  [[ -r $1 ]] || return 0
  while IFS= read -r line || [[ -n $line ]]; do
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    [[ -z $line || $line == \#* ]] && continue
    flags+=("$line")
  done <"$1"
}

add_flags_of "$app_dir/jvm.options"
# only when the file is there: an image built without the training stage, or a JVM older than 25 that would
# refuse the flag, starts as before
if [[ -f $aot_cache ]]; then
  flags+=("-XX:AOTCache=$aot_cache")
  add_flags_of "$aot_options"
fi
add_flags_of "$extra_options"

# exec: the JVM must be PID 1's process so SIGTERM reaches Camel's graceful drain
exec java "${flags[@]}" -jar "$app_dir/logs-distributor.jar" "$@"
