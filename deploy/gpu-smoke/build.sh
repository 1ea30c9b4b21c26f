#!/usr/bin/env bash
# Builds the GPU smoke kit: one self-contained, compressed bundle (the .NET runtime included, no libtorch) that runs a
# tiny SMP trial on a machine with an NVIDIA GPU and PyTorch but no .NET SDK and no network. README.md says how to run it.
#
#   deploy/gpu-smoke/build.sh [--output DIR] [--torchsharp-source DIR]
#
# --output            where the bundle is written (default: artifacts/gpu-smoke in the checkout)
# --torchsharp-source a checkout of TorchSharp at the version the engine uses (0.107.0): its src/Native goes into the
#                     bundle, so that run.sh can build the glue for a PyTorch whose libtorch the prebuilt glue does not fit
#                     (also $TORCHSHARP_SOURCE). Without it the bundle says so and runs only on a fitting libtorch.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
output="$repo/artifacts/gpu-smoke"
source_tree=${TORCHSHARP_SOURCE:-}
while [ $# -gt 0 ]; do
  case "$1" in
    --output) output=$2; shift 2 ;;
    --torchsharp-source) source_tree=$2; shift 2 ;;
    *) echo "build.sh: unknown argument '$1' (expected --output DIR or --torchsharp-source DIR)" >&2; exit 2 ;;
  esac
done
limit_mb=60
torchsharp_version=$(sed -n 's/.*Include="TorchSharp" Version="\([^"]*\)".*/\1/p' "$repo/Directory.Packages.props")
# TorchSharp-cpu's package pins the libtorch its glue was built against.
nuspec="${NUGET_PACKAGES:-$HOME/.nuget/packages}/torchsharp-cpu/$torchsharp_version/torchsharp-cpu.nuspec"
libtorch_version=$(sed -n 's/.*id="libtorch-cpu" version="\[\{0,1\}\([0-9.]*\).*/\1/p' "$nuspec" 2>/dev/null | head -1)
[ -n "$libtorch_version" ] || { echo "build.sh: cannot tell which libtorch TorchSharp $torchsharp_version's glue was built for (restore the solution once)" >&2; exit 1; }

# Publish from a copy of the sources the program needs: the external backend restores the engine with other packages
# than the solution's build, and must not touch the checkout's obj/ and bin/ folders while tests run from them.
stage=$(mktemp -d "${TMPDIR:-/tmp}/sweeps-gpu-smoke-build.XXXXXX")
trap 'rm -rf "$stage"' EXIT
(cd "$repo" && tar --exclude=bin --exclude=obj -cf - Directory.Build.props Directory.Build.targets Directory.Packages.props global.json build \
  src/Artifacts src/Pruning deploy/gpu-smoke/app $(ls NuGet.config nuget.config 2>/dev/null)) | tar -xf - -C "$stage"
bundle="$stage/out/sweeps-gpu-smoke"
echo "publishing the program (self-contained, linux-x64, TorchSharp $torchsharp_version without libtorch) ..."
dotnet publish "$stage/deploy/gpu-smoke/app/Sweeps.GpuSmoke.csproj" -c Release -r linux-x64 --self-contained \
  -p:TorchBackend=external -p:IncludeBuiltInModel=false -p:DebugType=none -p:GenerateDocumentationFile=false \
  -o "$bundle/app" -nologo -v quiet

mkdir -p "$bundle/glue/prebuilt"
mv "$bundle/app/glue/prebuilt/libLibTorchSharp.so" "$bundle/glue/prebuilt/"
rm -rf "$bundle/app/glue"
printf 'torchsharp=%s\nlibtorch=%s\n' "$torchsharp_version" "$libtorch_version" > "$bundle/glue/prebuilt/built-for"
cp "$here/run.sh" "$bundle/run"
cp "$here/build-glue.sh" "$bundle/glue/build-glue.sh"
cp "$here/README.md" "$bundle/README.md"
chmod +x "$bundle/run" "$bundle/glue/build-glue.sh"
if [ -n "$source_tree" ]; then
  [ -f "$source_tree/src/Native/LibTorchSharp/CMakeLists.txt" ] || { echo "build.sh: $source_tree has no src/Native/LibTorchSharp (expected a TorchSharp checkout)" >&2; exit 2; }
  mkdir -p "$bundle/glue/source/Native"
  cp -r "$source_tree/src/Native/LibTorchSharp" "$source_tree/src/Native/Stdafx.h" "$source_tree/src/Native/UnixSal.h" "$bundle/glue/source/Native/"
  if [ -f "$source_tree/LICENSE.txt" ]; then cp "$source_tree/LICENSE.txt" "$bundle/glue/source/"; fi
  commit=$(git -C "$source_tree" rev-parse HEAD 2>/dev/null || echo unknown)
  printf 'torchsharp=%s\ncommit=%s\n' "$torchsharp_version" "$commit" > "$bundle/glue/source/from"
  echo "glue source: TorchSharp $torchsharp_version ($commit) src/Native/LibTorchSharp"
else
  echo "glue source: none (--torchsharp-source not given): the bundle runs only where the prebuilt glue fits the libtorch"
fi
runtime=$(sed -n 's/.*"version": "\([^"]*\)".*/\1/p' "$bundle/app/sweeps-gpu-smoke.runtimeconfig.json" | head -1)
printf 'built=%s\ncommit=%s\ndotnet-runtime=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  "${runtime:-unknown}" > "$bundle/BUNDLE"

mkdir -p "$output"
archive="$output/sweeps-gpu-smoke-linux-x64.tar.xz"
echo "compressing ..."
tar -C "$stage/out" -cf - sweeps-gpu-smoke | xz -T0 -6 > "$archive"
bytes=$(stat -c %s "$archive")
mb=$(awk "BEGIN { printf \"%.1f\", $bytes / 1048576 }")
echo "bundle: $archive"
echo "bundle size: $mb MB ($bytes bytes; unpacked $(du -sm "$bundle" | cut -f1) MB); limit $limit_mb MB"
if [ "$bytes" -gt $((limit_mb * 1048576)) ]; then echo "build.sh: the bundle is over $limit_mb MB" >&2; exit 1; fi
