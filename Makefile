# PruneLab: the two commands of the README, and a few more.
.PHONY: deps lab test smoke bench gallery

deps:
	@bash scripts/install-deps.sh

## Runs the default lab (ResNet slimming, quick preset), release build.
lab: deps
	swift run -c release lab-resnet-slimming

## Runs every test.
test: deps
	swift build --build-tests
	swift test --skip-build

## Every lab at the smoke preset, into a scratch folder (CI).
smoke: deps
	for lab in lab-weight-pruning lab-filter-pruning lab-vgg-slimming lab-resnet-slimming; do \
		swift run -c release $$lab --preset smoke --output-dir .build/smoke || exit 1; done

bench: deps
	swift run -c release bench

gallery: deps
	swift run -c release gallery
