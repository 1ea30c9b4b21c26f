#!/usr/bin/env bash
# The GPU smoke kit's one command (the bundle's ./run): finds the machine's PyTorch, chooses the TorchSharp glue that
# fits its libtorch (the prebuilt one, else one built here from the bundled source), then runs a tiny SMP trial on
# cuda:0 in fp32 and bf16 and the same trial on the CPU, printing results, step times and the device. Everything
# printed is also written to the report file. Needs no .NET SDK and no network.
#
#   ./run [--torch FOLDER] [--cpu-only] [--rebuild-glue] [--report FILE] [--steps N --batch N --length N --hidden N --layers N]
#
# --torch         the torch package folder (site-packages/torch, holding lib/ and version.py); default: $SWEEPS_TORCH,
#                 else where `python3 -c "import torch"` finds it
# --cpu-only      no GPU: the CPU trials alone (fp32 and bf16)
# --rebuild-glue  build the glue from source even where the prebuilt one would do
# --report        the report file (default: ./sweeps-gpu-smoke-report.txt)
set -uo pipefail
kit=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
torch=${SWEEPS_TORCH:-}
cpu_only=false
rebuild=false
report="$PWD/sweeps-gpu-smoke-report.txt"
passed=()
while [ $# -gt 0 ]; do
  case "$1" in
    --torch) torch=$2; shift 2 ;;
    --cpu-only) cpu_only=true; shift ;;
    --rebuild-glue) rebuild=true; shift ;;
    --report) report=$2; shift 2 ;;
    --steps|--batch|--length|--hidden|--layers|--device) passed+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run: unknown argument '$1' (--help lists them)" >&2; exit 2 ;;
  esac
done
: > "$report"
say() { echo "$*" | tee -a "$report"; }
fail() { say "result: FAILED: $*"; say "report: $report"; exit 1; }

say "kit       : $(tr '\n' ' ' < "$kit/BUNDLE")"
# 1. The PyTorch package folder.
if [ -z "$torch" ]; then
  for python in python3 python; do
    if command -v "$python" >/dev/null; then
      torch=$("$python" -c 'import os, torch; print(os.path.dirname(torch.__file__))' 2>/dev/null) && break
    fi
  done
fi
[ -n "$torch" ] || fail "no PyTorch found: pass --torch FOLDER (site-packages/torch) or set SWEEPS_TORCH, or make \`python3 -c 'import torch'\` work"
given=$torch
torch=$(cd "$given" 2>/dev/null && pwd) || fail "$given: no such folder (--torch, SWEEPS_TORCH or python3's torch)"
[ -f "$torch/lib/libtorch_cpu.so" ] || fail "$torch is not a PyTorch package folder: it has no lib/libtorch_cpu.so"
version=$(sed -n "s/^__version__ *= *['\"]\([^'\"]*\)['\"].*/\1/p" "$torch/version.py" 2>/dev/null | head -1)
cuda_version=$(sed -n "s/^cuda *= *['\"]\([^'\"]*\)['\"].*/\1/p" "$torch/version.py" 2>/dev/null | head -1)
[ -n "$version" ] || fail "$torch/version.py does not say which torch this is (__version__)"
say "torch     : $version (CUDA ${cuda_version:-none}) in $torch"
if ! $cpu_only && [ ! -e "$torch/lib/libtorch_cuda.so" ]; then
  fail "this PyTorch is a CPU build (no lib/libtorch_cuda.so); --cpu-only runs the CPU trials alone"
fi
# The GPU run needs libtorch_cuda; a CPU run must not load it (TorchSharp would look for CUDA packages otherwise).
device_arguments=(); $cpu_only && device_arguments=(--cpu-only)

# 2. The glue: prebuilt where libtorch's major.minor is the one it was built for and it loads; else built here.
built_for=$(sed -n 's/^libtorch=//p' "$kit/glue/prebuilt/built-for")
torchsharp=$(sed -n 's/^torchsharp=//p' "$kit/glue/prebuilt/built-for")
minor() { echo "$1" | sed 's/^\([0-9]*\.[0-9]*\).*/\1/'; }
probe() { # $1: the glue folder; the bound-now load fails at once on a symbol this libtorch lacks
  LD_BIND_NOW=1 LD_LIBRARY_PATH="$1:$torch/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$kit/app/sweeps-gpu-smoke" --probe "${device_arguments[@]}" "${passed[@]}" >>"$report.probe" 2>&1
}
glue="" glue_note=""
if ! $rebuild && [ "$(minor "$version")" = "$(minor "$built_for")" ]; then
  if probe "$kit/glue/prebuilt"; then
    glue="$kit/glue/prebuilt"; glue_note="prebuilt (TorchSharp $torchsharp, built for libtorch $built_for), loads against torch $version"
  else
    say "glue      : the prebuilt glue (libtorch $built_for) does not load against torch $version (log: $report.probe); building one"
  fi
else
  $rebuild && say "glue      : --rebuild-glue: building one for torch $version" \
    || say "glue      : the prebuilt glue is for libtorch $built_for, this is torch $version: building one from TorchSharp $torchsharp's source"
fi
if [ -z "$glue" ]; then
  glue="${XDG_CACHE_HOME:-$HOME/.cache}/sweeps-gpu-smoke/glue-torchsharp-$torchsharp-torch-$version"
  if $rebuild || [ ! -f "$glue/libLibTorchSharp.so" ]; then
    bash "$kit/glue/build-glue.sh" "$torch" "$glue" 2>&1 | tee -a "$report"
    [ "${PIPESTATUS[0]}" -eq 0 ] || fail "no glue for torch $version (above: why)"
  fi
  probe "$glue" || fail "the glue built for torch $version does not load (log: $report.probe)"
  glue_note="built here from TorchSharp $torchsharp's source against torch $version ($glue)"
fi
say "glue      : $glue_note"

# 3. The trials.
LD_BIND_NOW=1 LD_LIBRARY_PATH="$glue:$torch/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
  "$kit/app/sweeps-gpu-smoke" "${device_arguments[@]}" "${passed[@]}" --torch "$torch" --torch-version "$version" --glue "$glue_note" 2>&1 | tee -a "$report"
status=${PIPESTATUS[0]}
say "report: $report"
exit "$status"
