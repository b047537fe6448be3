# PruneLab: the two commands of the README, and a few more.
.PHONY: deps lab test smoke bench gallery

SMOKE_DIR := .build/smoke
LABS := lab-weight-pruning lab-filter-pruning lab-vgg-slimming lab-resnet-slimming

deps:
	@bash scripts/install-deps.sh

## Runs the default lab (ResNet slimming, quick preset), release build.
lab: deps
	swift run -c release lab-resnet-slimming

## Runs every test: the unit tests, and every lab at the smoke preset with its report checked.
test: deps smoke
	swift build --build-tests
	PRUNELAB_SMOKE_DIR=$(SMOKE_DIR) swift test --skip-build

## Every lab at the smoke preset (seconds each), into a scratch folder.
smoke: deps
	swift build -c release
	rm -rf $(SMOKE_DIR)
	for lab in $(LABS); do \
		.build/release/$$lab --preset smoke --quiet --output-dir $(SMOKE_DIR) || exit 1; done

bench: deps
	swift run -c release bench

gallery: deps
	swift run -c release gallery
