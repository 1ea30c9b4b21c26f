#!/usr/bin/env bash
# Builds TorchSharp's native glue (libLibTorchSharp.so) from the source in this bundle against the libtorch of a
# PyTorch package folder: its headers (include/), the compiler flags its CMake files record
# (share/cmake/Torch/TorchConfig.cmake: TORCH_CXX_FLAGS, the libstdc++ ABI), and its libraries (lib/). Needs only a
# C++17 compiler (g++ 9 or later; CXX and CC choose another) — no CMake, no CUDA toolkit, no network.
#
#   glue/build-glue.sh TORCH_FOLDER OUTPUT_FOLDER
set -euo pipefail
torch=${1:?usage: build-glue.sh TORCH_FOLDER OUTPUT_FOLDER}
out=${2:?usage: build-glue.sh TORCH_FOLDER OUTPUT_FOLDER}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_dir="$here/source/Native"

fail() { echo "build-glue: $*" >&2; exit 3; }
[ -d "$source_dir/LibTorchSharp" ] || fail "this bundle carries no TorchSharp source (it was built without --torchsharp-source), so it cannot build a glue for this libtorch"
[ -f "$torch/include/torch/csrc/api/include/torch/torch.h" ] || fail "$torch/include has no libtorch C++ headers (torch/csrc/api/include/torch/torch.h); PyTorch's wheels ship them"
config="$torch/share/cmake/Torch/TorchConfig.cmake"
[ -f "$config" ] || fail "$config is missing; PyTorch's wheels ship it"
cxx=${CXX:-c++}
cc=${CC:-cc}
command -v "$cxx" >/dev/null || fail "no C++ compiler '$cxx' on the PATH (install g++ 9 or later, or set CXX)"
command -v "$cc" >/dev/null || fail "no C compiler '$cc' on the PATH (install gcc, or set CC)"

torch_flags=$(sed -n 's/^ *set(TORCH_CXX_FLAGS "\(.*\)").*/\1/p' "$config" | tail -1)
[ -n "$torch_flags" ] || torch_flags="-D_GLIBCXX_USE_CXX11_ABI=1"
libraries=(-ltorch -ltorch_cpu -lc10)
if [ -e "$torch/lib/libtorch_cuda.so" ]; then libraries+=(-ltorch_cuda -lc10_cuda); fi
work=$(mktemp -d "${TMPDIR:-/tmp}/sweeps-glue.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "build-glue: compiling $(ls "$source_dir/LibTorchSharp" | grep -c '\.c\(pp\)\?$') files against $torch ($torch_flags) with $("$cxx" --version | head -1)"
printf 'static char sccsid[] __attribute__((used)) = "@(#)built by the Sweeps GPU smoke kit";\n' > "$work/version.c"
export cxx cc torch_flags torch source_dir work
compile() {
  local file=$1 object
  object="$work/$(basename "$file").o"
  case "$file" in
    *.c) "$cc" -O2 -fPIC -c "$file" -o "$object" ;;
    *) "$cxx" -std=c++17 -O2 -fPIC -fvisibility=hidden $torch_flags -DNDEBUG -D__LINUX__ -D_NO_ASYNCRTIMP -D_NO_PPLXIMP \
         -I"$source_dir" -I"$source_dir/LibTorchSharp" -I"$torch/include" -I"$torch/include/torch/csrc/api/include" \
         -w -c "$file" -o "$object" ;;
  esac
}
export -f compile
if ! ls "$source_dir"/LibTorchSharp/*.cpp "$source_dir"/LibTorchSharp/*.c "$work/version.c" \
    | xargs -P "$(nproc)" -I{} bash -c 'compile "$1" 2>>"$work/errors.log" || { echo "failed: $1" >>"$work/errors.log"; exit 255; }' _ {}; then
  tail -n 40 "$work/errors.log" >&2
  fail "the glue's source did not compile against this libtorch (above: the last lines of the compiler's errors)"
fi
mkdir -p "$out"
"$cxx" -shared -o "$work/libLibTorchSharp.so" "$work"/*.o -L"$torch/lib" -Wl,--no-as-needed "${libraries[@]}" -Wl,--as-needed \
  -Wl,-Bsymbolic -Wl,-Bsymbolic-functions -Wl,-rpath,"$torch/lib" || fail "linking the glue against $torch/lib failed"
mv "$work/libLibTorchSharp.so" "$out/libLibTorchSharp.so"
echo "build-glue: wrote $out/libLibTorchSharp.so"
