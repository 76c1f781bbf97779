#!/usr/bin/env bash
# Builds the libFuzzer harnesses: every library module the parsers need is compiled with
# AddressSanitizer and coverage instrumentation (swiftc -sanitize=fuzzer,address), then each
# harness in Harnesses/ is linked against them into .build-fuzz/<Name>Fuzzer.
#   Fuzz/build.sh            all harnesses
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/.build-fuzz"
mkdir -p "$out/modules"
cd "$root"

blas_include="$(pkg-config --cflags-only-I openblas | sed 's/^-I//; s/ *$//')"
stb_include="$(pkg-config --cflags-only-I stb | sed 's/^-I//; s/ *$//')"
cat > "$out/modules/CPerceptKernels.modulemap" <<MAP
module CPerceptKernels {
    umbrella "$root/Sources/CPerceptKernels/include"
    export *
}
MAP
common=(-parse-as-library -sanitize=fuzzer,address -O -g -use-ld=lld -I "$out/modules"
    -Xcc "-fmodule-map-file=$out/modules/CPerceptKernels.modulemap"
    -Xcc "-fmodule-map-file=$root/Sources/CBLAS/module.modulemap" -Xcc "-I$blas_include"
    -Xcc "-fmodule-map-file=$root/Sources/CZlib/module.modulemap"
    -Xcc "-fmodule-map-file=$root/Sources/CLAPACK/module.modulemap"
    -Xcc "-fmodule-map-file=$root/Sources/CStb/module.modulemap" -Xcc "-I$stb_include"
    -Xcc "-fmodule-map-file=$root/Sources/CTurboJPEG/module.modulemap")

objects=()
for source in Sources/CPerceptKernels/*.c; do
    object="$out/modules/CPerceptKernels-$(basename "$source" .c).o"
    clang -c -O2 -fsanitize=fuzzer-no-link,address -I Sources/CPerceptKernels/include "$source" -o "$object"
    objects+=("$object")
done

# stb's decoder and PNG writer are built from Debian's headers (libstb-dev) with the same
# instrumentation, so that libFuzzer sees their branches and AddressSanitizer checks their memory
# accesses; these definitions take precedence over the uninstrumented libstb.so. (JPEG goes to
# Debian's libjpeg-turbo, linked uninstrumented.)
printf '#define STB_IMAGE_IMPLEMENTATION\n#define STB_IMAGE_WRITE_IMPLEMENTATION\n#include <stb_image.h>\n#include <stb_image_write.h>\n' \
    > "$out/modules/stb.c"
clang -c -O1 -g -fsanitize=fuzzer-no-link,address -I "$stb_include" "$out/modules/stb.c" -o "$out/modules/stb.o"
objects+=("$out/modules/stb.o")

# SwiftPM generates `Bundle.module` for targets with resources; outside SwiftPM it points at the
# executable's folder (the embedded data set is not used by any harness).
printf 'import Foundation\nextension Foundation.Bundle { static var module: Bundle { Bundle.main } }\n' \
    > "$out/modules/ResourceBundle.swift"

for module in PerceptTensor PerceptAutograd PerceptNN PerceptTraining PerceptImage PerceptData PerceptReports PerceptClassical PerceptIO; do
    sources=(Sources/$module/*.swift)
    if [ "$module" = PerceptData ]; then sources+=("$out/modules/ResourceBundle.swift"); fi
    swiftc "${common[@]}" -module-name "$module" -wmo -c "${sources[@]}" \
        -emit-module -emit-module-path "$out/modules/$module.swiftmodule" -o "$out/modules/$module.o"
    objects+=("$out/modules/$module.o")
done

for harness in Fuzz/Harnesses/*.swift; do
    name="$(basename "$harness" .swift)"
    swiftc "${common[@]}" -module-name "$name" "$harness" "${objects[@]}" \
        -L "$(pkg-config --variable=libdir openblas)" -lopenblas -llapacke -lz -lstb -lturbojpeg -o "$out/$name"
    echo "built $out/$name"
done
