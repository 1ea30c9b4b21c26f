#!/usr/bin/env bash
# Random search with and without ASHA, side by side in one run: the 27 trials of examples/search-spam.yaml, then the
# same 27 with early stopping (examples/search-spam-asha.yaml), each on a fresh embedded cluster with its own
# artefact store (the trials have the same ids: a shared store would reuse the first run's results). Prints slot-seconds
# (the sum of the trials' wall times: what the device slots were held for) and the best dev accuracy found.
#   bench/search-asha.sh [--slots N]
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
# The clusters' state and artefacts go when the script ends; the per-trial results (JSON) stay in $work.
trap 'rm -rf "$work"/search-spam/ "$work"/search-spam-asha/' EXIT
cache=${SWEEPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sweeps}
dotnet build -c Release src/SweepClient -v q -nologo >/dev/null
for grid in search-spam search-spam-asha; do
  mkdir -p "$work/$grid"
  # The imported model and the downloaded data are shared; state and artefacts are not.
  for shared in models data; do [ -d "$cache/$shared" ] && ln -s "$cache/$shared" "$work/$grid/$shared"; done
  start=$(date +%s)
  SWEEPS_CACHE="$work/$grid" dotnet run -c Release --no-build --project src/SweepClient -- submit "examples/$grid.yaml" "$@" >"$work/$grid.log" 2>&1 || { cat "$work/$grid.log"; exit 1; }
  end=$(date +%s)
  id=$(SWEEPS_CACHE="$work/$grid" dotnet run -c Release --no-build --project src/SweepClient -- submit "examples/$grid.yaml" --dry-run | sed -n 's/^sweep id //p')
  SWEEPS_CACHE="$work/$grid" dotnet run -c Release --no-build --project src/SweepClient -- results "$id" --format json --trials >"$work/$grid.json"
  echo "$grid $((end - start))" >>"$work/elapsed"
done
python3 - "$work" <<'PY'
import json, sys, os
work = sys.argv[1]
elapsed = dict(line.split() for line in open(os.path.join(work, "elapsed")))
print("| search | trials | stopped early | collapsed (best evaluation) | steps trained | slot-seconds | sweep wall time | best dev accuracy |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for grid in ("search-spam", "search-spam-asha"):
    rows = json.load(open(os.path.join(work, grid + ".json")))
    outcomes = [r["Outcome"] for r in rows if r["Outcome"]]
    best = max(dict((m["Key"], m["Value"]) for m in o["Metrics"])["accuracy"] for o in outcomes)
    stopped = sum(1 for o in outcomes if o.get("StoppedAtStep") is not None)
    steps = sum(o["Steps"] for o in outcomes)
    slot = sum(o["WallSeconds"] for o in outcomes)
    collapsed = sum(1 for o in outcomes if o["Collapsed"])
    print(f"| {grid} | {len(rows)} | {stopped} | {collapsed} | {steps} | {slot:.0f} | {elapsed[grid]} s | {best:.4f} |")
print(f"per-trial results: {work}/search-spam.json, {work}/search-spam-asha.json")
PY
