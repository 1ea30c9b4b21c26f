#!/usr/bin/env bash
# Runs a command and samples the memory of it and of every process it starts (the trial workers of an embedded sweep)
# five times a second; prints the peak resident memory (VmHWM) of the command's own process and of each worker, with
# the trial it ran and the most private writable memory it mapped (VmData, what a worker's memory cap bounds), and the
# wall time. Linux only (/proc).
#   bench/process-memory.sh COMMAND [ARGUMENTS...]
#   bench/process-memory.sh dotnet src/SweepClient/bin/Release/net10.0/sweep.dll submit examples/grid.yaml
set -uo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGUMENTS...]" >&2; exit 2; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$(date +%s.%N)
"$@" &
root=$!

descendants() { local children; children=$(pgrep -P "$1" 2>/dev/null); for c in $children; do echo "$c"; descendants "$c"; done; }
field() { sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$1/status" 2>/dev/null; }

while kill -0 "$root" 2>/dev/null; do
  for pid in $root $(descendants "$root"); do
    peak=$(field "$pid" VmHWM)
    data=$(field "$pid" VmData)
    [ -n "$peak" ] && [ -n "$data" ] || continue
    trial=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | sed -n 's/.*--trial \([^ ]*\).*/\1/p')
    echo "$pid ${trial:--} $peak $data" >>"$log"
  done
  sleep 0.2
done
wait "$root"
status=$?
end=$(date +%s.%N)

# The last (largest) VmHWM seen per process.
awk -v root="$root" -v start="$start" -v end="$end" '
  { peak[$1] = ($3 > peak[$1] ? $3 : peak[$1]); data[$1] = ($4 > data[$1] ? $4 : data[$1]); trial[$1] = $2 }
  END {
    printf "command (pid %d): peak resident %.0f MiB; wall time %.0f s\n", root, peak[root] / 1024, end - start
    n = 0; top = 0; mapped = 0
    for (pid in peak) if (pid != root && trial[pid] != "-") {
      n++; if (peak[pid] > top) top = peak[pid]; if (data[pid] > mapped) mapped = data[pid]
      printf "  worker %d, trial %s: peak resident %.0f MiB, most mapped (VmData) %.0f MiB\n", pid, trial[pid], peak[pid] / 1024, data[pid] / 1024
    }
    if (n > 0) printf "%d workers: the largest peak resident %.0f MiB, the most mapped %.0f MiB\n", n, top / 1024, mapped / 1024
  }' "$log"
exit "$status"
