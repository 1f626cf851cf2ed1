#!/usr/bin/env bash
# Submits a plan's shards as one job array and the merge as a job that runs when every task succeeded.
# Prints "ARRAY_JOB_ID MERGE_JOB_ID". Extra arguments go to both sbatch calls (e.g. --partition=long).
#
#   deploy/slurm/submit.sh PLAN OUTDIR [SBATCH_OPTION...]
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 PLAN OUTDIR [SBATCH_OPTION...]" >&2
  exit 2
fi
plan=$1 out=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
# The plan lists its shards as {"index": I, ...}, one "index" key per shard.
shards=$(grep -c '"index":' "$plan")
if [ "$shards" -lt 1 ]; then
  echo "$0: $plan lists no shards: write it with carriersim shard plan" >&2
  exit 2
fi
mkdir -p "$out"
array=$(sbatch --parsable --array=0-$((shards - 1)) "$@" "$here/shard-array.sbatch" "$plan" "$out")
array=${array%%;*}
merge=$(sbatch --parsable --dependency=afterok:"$array" "$@" "$here/merge.sbatch" "$out")
echo "$array ${merge%%;*}"
