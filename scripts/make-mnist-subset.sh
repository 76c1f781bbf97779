#!/usr/bin/env bash
# Regenerates the MNIST subset embedded in PerceptData:
#   Sources/PerceptData/Resources/mnist-subset/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz
#
# Provenance: the subset is cut from the real MNIST files (LeCun, Cortes and Burges,
# http://yann.lecun.com/exdb/mnist/, mirrored at https://ossci-datasets.s3.amazonaws.com/mnist/).
# It holds the FIRST 10,000 training images and labels and the FIRST 2,000 test images and labels,
# in their original order, byte for byte. Each output is a valid IDX file whose header declares the
# reduced count, compressed with `gzip -9 -n` (no name, no timestamp), so the output depends only on
# the input files and the gzip version (GNU gzip 1.12 made the committed copies).
#
# Usage: scripts/make-mnist-subset.sh [SOURCE_DIR]
#   SOURCE_DIR holds the four standard gzipped MNIST files (default: $PERCEPT_SHARED_DATA, else
#   ../shared/data/mnist next to the repository). Needs only bash, gzip, head, tail, od and wc.
set -eu

repository=$(cd "$(dirname "$0")/.." && pwd)
source_dir=${1:-${PERCEPT_SHARED_DATA:-$repository/../shared/data/mnist}}
output_dir=$repository/Sources/PerceptData/Resources/mnist-subset
train_count=10000
test_count=2000

# Prints a number as four big-endian bytes, in printf escape form.
big_endian_u32() {
    printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255))
}

# The first four 32-bit big-endian words of a gzipped IDX file, as decimal numbers.
header_words() {
    gzip -dc "$1" | head -c 16 | od -An -tu1 -v | tr -s ' \n' ' ' |
        awk '{ for (i = 1; i <= NF; i += 4) printf "%d ", (($i * 256 + $(i+1)) * 256 + $(i+2)) * 256 + $(i+3) }'
}

# subset NAME COUNT: writes the first COUNT records of SOURCE_DIR/NAME to OUTPUT_DIR/NAME.
subset() {
    local name=$1 count=$2 source=$source_dir/$1
    [ -f "$source" ] || { echo "error: $source not found" >&2; exit 1; }
    read -r magic total rows columns <<<"$(header_words "$source")"
    local header_size record_size header
    case $magic in
        2051) header_size=16; record_size=$((rows * columns))
              header="\\x00\\x00\\x08\\x03$(big_endian_u32 "$count")$(big_endian_u32 "$rows")$(big_endian_u32 "$columns")" ;;
        2049) header_size=8; record_size=1
              header="\\x00\\x00\\x08\\x01$(big_endian_u32 "$count")" ;;
        *) echo "error: $source has magic number $magic, not an MNIST IDX file" >&2; exit 1 ;;
    esac
    [ "$total" -ge "$count" ] || { echo "error: $source holds only $total records" >&2; exit 1; }

    local body_size=$((count * record_size)) target=$output_dir/$name
    # head closes the pipe early on purpose, so gzip's SIGPIPE is expected; the size check catches real errors.
    {
        printf "$header"
        gzip -dc "$source" | tail -c +$((header_size + 1)) | head -c "$body_size" || true
    } | gzip -9 -n >"$target.tmp"
    local written
    written=$(gzip -dc "$target.tmp" | wc -c)
    [ "$written" -eq $((header_size + body_size)) ] ||
        { echo "error: $target holds $written bytes, expected $((header_size + body_size))" >&2; exit 1; }
    mv "$target.tmp" "$target"
    echo "$name: $count of $total records, $(wc -c <"$target") bytes"
}

mkdir -p "$output_dir"
subset train-images-idx3-ubyte.gz "$train_count"
subset train-labels-idx1-ubyte.gz "$train_count"
subset t10k-images-idx3-ubyte.gz "$test_count"
subset t10k-labels-idx1-ubyte.gz "$test_count"
