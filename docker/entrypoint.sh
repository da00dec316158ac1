#!/usr/bin/env bash
# Starts the distributor with the JVM flags of jvm.options (contract §1), then with those of an
# optional operator file (the Helm chart mounts one), so a later flag such as a bigger -Xmx wins over
# the project's default. Arguments are passed to the application (e.g. "demo-analyzers file.yaml").
set -euo pipefail

app_dir="${LOGS_DISTRIBUTOR_HOME:-/app}"
extra_options="${LOGS_DISTRIBUTOR_EXTRA_JVM_OPTIONS:-/etc/logs-distributor/jvm/jvm.options}"

flags=()
for file in "$app_dir/jvm.options" "$extra_options"; do
  [[ -r $file ]] || continue
  while IFS= read -r line || [[ -n $line ]]; do
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    [[ -z $line || $line == \#* ]] && continue
    flags+=("$line")
  done <"$file"
done

# exec: the JVM must be PID 1's process so SIGTERM reaches Camel's graceful drain
exec java "${flags[@]}" -jar "$app_dir/logs-distributor.jar" "$@"
