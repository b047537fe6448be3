#!/usr/bin/env bash
# Submits a study planned with `lab-<name> … --plan DIR` to Slurm: DIR/jobs.txt as one job
# array (task i runs line i, with --threads set to the CPUs Slurm gave it), and DIR/merge.txt
# as a job that runs once every task has succeeded. Results stay in DIR (on a disk the nodes
# share), the merged report in DIR/reports/, each task's console output in DIR/logs/.
#
#   scripts/slurm-array.sh DIR [sbatch options]   e.g. --partition=cpu --time=1:00:00 --cpus-per-task=4
#   scripts/slurm-array.sh DIR --array=3          resubmit task 3 alone (it resumes from its stage
#                                                 cache), and the merge after it
#   scripts/slurm-array.sh DIR --wait             return when the merge has ended; fail unless it completed
#
# --array picks the tasks and --wait is this script's; every other option goes to both sbatch
# calls. When a task fails the merge is cancelled (--kill-on-invalid-dep).
set -euo pipefail

die() { echo "slurm-array: $*" >&2; exit 1; }

[ $# -ge 1 ] || die "usage: scripts/slurm-array.sh DIR [sbatch options]; DIR is a folder written by lab-<name> --plan DIR"
[ -d "$1" ] || die "$1 is not a folder; write the study's job list first with lab-<name> … --plan $1"
dir=$(cd "$1" && pwd)
shift
[ -s "$dir/jobs.txt" ] || die "$dir/jobs.txt is missing or empty; write it with lab-<name> … --plan $dir"
[ -s "$dir/merge.txt" ] || die "$dir/merge.txt is missing; plan the study again with lab-<name> … --plan $dir"
command -v sbatch >/dev/null || die "sbatch not found: run this where Slurm's commands are (a login node), or start a one-node cluster with scripts/slurm-local.sh start"

count=$(wc -l < "$dir/jobs.txt")
array="1-$count"
wait=no
options=()
while [ $# -gt 0 ]; do
    case "$1" in
        --array=*) array=${1#--array=} ;;
        --array | -a) [ $# -ge 2 ] || die "$1 needs a list of task numbers, e.g. --array=3 or --array=2,5"; array=$2; shift ;;
        --wait | -W) wait=yes ;;
        *) options+=("$1") ;;
    esac
    shift
done

mkdir -p "$dir/logs"
name="prunelab-$(basename "$dir")"
jobs_file=$(printf %q "$dir/jobs.txt")

# The task's script: line $SLURM_ARRAY_TASK_ID of jobs.txt, its --threads set to the CPUs Slurm allocated.
array_id=$(sbatch --parsable --job-name="$name" --array="$array" --chdir="$dir" \
    --output="$dir/logs/task-%a-%A.out" "${options[@]}" <<TASK
#!/usr/bin/env bash
set -euo pipefail
cpus=\${SLURM_CPUS_PER_TASK:-\${SLURM_CPUS_ON_NODE:-1}}
line=\$(sed -n "\${SLURM_ARRAY_TASK_ID}p" $jobs_file | sed -E "s/ --threads [0-9]+/ --threads \$cpus/")
[ -n "\$line" ] || { echo "no line \$SLURM_ARRAY_TASK_ID in $jobs_file" >&2; exit 1; }
echo "task \$SLURM_ARRAY_TASK_ID of job \$SLURM_ARRAY_JOB_ID on \$(hostname): \$line"
exec bash -c "\$line"
TASK
)
array_id=${array_id%%;*}
echo "Submitted job array $array_id: tasks $array of $dir/jobs.txt, output in $dir/logs/task-<i>-$array_id.out"

merge_id=$(sbatch --parsable --job-name="$name-merge" --chdir="$dir" --output="$dir/logs/merge-%j.out" \
    --dependency="afterok:$array_id" --kill-on-invalid-dep=yes "${options[@]}" \
    --wrap="sh $(printf %q "$dir/merge.txt")")
merge_id=${merge_id%%;*}
echo "Submitted merge job $merge_id: runs when every task has succeeded (a failed task cancels it), report in $dir/reports/"
echo "Follow with: squeue -j $array_id,$merge_id; afterwards: sacct -j $array_id,$merge_id"

if [ "$wait" = yes ]; then
    # sbatch --wait would say 0 for a merge cancelled by a failed task: ask for its final state instead.
    while squeue -h -j "$merge_id" 2>/dev/null | grep -q .; do sleep 2; done
    state=$(scontrol -o show job "$merge_id" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2)
    [ "$state" = COMPLETED ] || die "merge job $merge_id ended ${state:-unknown}: a task or the merge failed; see sacct -j $array_id,$merge_id and $dir/logs/"
    echo "Done: $dir/reports/"
fi
