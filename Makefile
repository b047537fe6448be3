# PruneLab: the two commands of the README, and a few more.
.PHONY: deps lab test smoke study sweep slurm-study portable bench gallery index

SMOKE_DIR := .build/smoke
STUDY_DIR := .build/smoke-study
SLURM_DIR := .build/slurm-study
LABS := lab-weight-pruning lab-filter-pruning lab-vgg-slimming lab-resnet-slimming lab-densenet-slimming lab-rethinking
# The labs that prune channels also run their pruning-ratio sweep at smoke, at two fractions to stay fast.
SWEEP_LABS := lab-filter-pruning lab-vgg-slimming lab-resnet-slimming lab-densenet-slimming
SMOKE_SWEEP := --sweep on --sweep-fractions 0.5,0.9

deps:
	@bash scripts/install-deps.sh

## Runs the default lab (ResNet slimming, quick preset), release build.
lab: deps
	swift run -c release lab-resnet-slimming

## Runs every test: the unit tests, every lab at the smoke preset, and a smoke study of two
## seeds through GNU parallel, each report checked (and the Slurm study's, if `make slurm-study` ran).
test: deps smoke study
	swift build --build-tests
	PRUNELAB_SMOKE_DIR=$(SMOKE_DIR) PRUNELAB_STUDY_DIR=$(STUDY_DIR) PRUNELAB_SLURM_STUDY_DIR=$(SLURM_DIR) \
		swift test --skip-build

## A smoke study: the filter-pruning lab at two seeds, two jobs at once through GNU parallel, merged.
study: deps
	rm -rf $(STUDY_DIR)
	$(MAKE) sweep LAB=lab-filter-pruning PRESET=smoke SEEDS=2 JOBS=2 DIR=$(STUDY_DIR)

## A study through GNU parallel: make sweep LAB=lab-vgg-slimming PRESET=standard SEEDS=3 JOBS=2 DIR=study
## LAB_FLAGS adds the lab's own, e.g. --percents 0.3,0.5,0.7 for a sweep; PARALLEL_FLAGS adds GNU
## parallel's, e.g. --sshlogin host1,host2 (DIR on a shared disk) or --resume-failed to rerun only
## the jobs that failed (each resumes from its stage cache).
LAB ?= lab-resnet-slimming
PRESET ?= standard
SEEDS ?= 3
JOBS ?= 2
DIR ?= study
LAB_FLAGS ?=
PARALLEL_FLAGS ?=
sweep: deps
	swift build -c release
	.build/release/$(LAB) --preset $(PRESET) --seeds $(SEEDS) --jobs $(JOBS) $(LAB_FLAGS) --plan $(DIR)
	parallel --will-cite -j $(JOBS) --joblog $(DIR)/joblog --halt never $(PARALLEL_FLAGS) < $(DIR)/jobs.txt
	sh $(DIR)/merge.txt

## The smoke study as a Slurm job array, on a one-node cluster that scripts/slurm-local.sh starts
## here as root (installing Debian's Slurm and MariaDB if missing) and stops after; CI runs it
## before `make test`, which then checks its report. Skips, saying why, where Slurm cannot start.
slurm-study: deps
	swift build -c release
	rm -rf $(SLURM_DIR)
	.build/release/lab-filter-pruning --preset smoke --seeds 2 --plan $(SLURM_DIR) > /dev/null
	@if ! bash scripts/slurm-local.sh start; then \
		echo "slurm-study: SKIPPED: no local Slurm cluster could start here (see above); the job array was not run"; \
		exit 0; fi; \
	status=0; bash scripts/slurm-array.sh $(SLURM_DIR) --wait || status=$$?; \
	bash scripts/slurm-local.sh stop; exit $$status

## Every lab at the smoke preset (seconds each), in English and in Chinese (which reuses the English run's
## training from the stage cache), into a scratch folder.
smoke: deps
	swift build -c release
	rm -rf $(SMOKE_DIR)
	for lab in $(LABS); do \
		flags=; case " $(SWEEP_LABS) " in *" $$lab "*) flags="$(SMOKE_SWEEP)";; esac; \
		.build/release/$$lab --preset smoke --quiet --output-dir $(SMOKE_DIR) $$flags || exit 1; \
		.build/release/$$lab --preset smoke --quiet --output-dir $(SMOKE_DIR) --lang zh $$flags || exit 1; done

## The portable build (baseline x86-64, PRUNELAB_PORTABLE=1) forced to its baseline kernels
## (PRUNELAB_KERNELS=simd8): no AVX register outside the AVX-512 kernels, the kernel tests in
## release, a smoke lab. Its own build folder, .build-portable.
portable: deps
	bash scripts/check-portable.sh

bench: deps
	swift run -c release bench

gallery: deps
	swift run -c release gallery

## reports/README.md (every lab's key results, links, run details), the README's results
## table and reports/weekly.zh.md (a 周报 draft), from the committed reports/*.json; run after a
## lab rewrote its report.
index:
	swift run report-index
	swift run report-index --readme
	swift run report-index --lang zh
