# Berth: `make synth` builds and synthesizes the sample app into out/; `make test` runs every test.
OUT ?= out
LINT_DIR := .build/lint

RELEASE_FLAGS := -c release --static-swift-stdlib -Xlinker -no-pie --scratch-path .build-release \
	-Xswiftc -use-ld=lld -Xswiftc -Xfrontend -Xswiftc -function-sections \
	-Xlinker --symbol-ordering-file=$(CURDIR)/scripts/berth.order -Xlinker --no-warn-symbol-ordering \
	-Xlinker --no-export-dynamic -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors

PREFIX ?= /usr/local

.PHONY: all setup build release install synth demo example init-example bad-input fuzz test lint lint-all checkov controls workflow-lint bench order vectors generate time-zones clean

all: build

## Install what the build and the tests need (cfn-lint, checkov, cfn-guard and the controls, actionlint, zizmor); safe to run again.
setup:
	@scripts/setup.sh

## The sample app's `berth` (debug), without the test helpers and the bench app.
build:
	swift build --product berth

## The binary to ship: optimized, the Swift runtime linked in, not position-independent, and
## the functions a run needs linked first and together (scripts/berth.order, `make order`):
## fewer pages touched at start. No symbol is exported: the link otherwise put the library
## modules' 15,000 public symbols in the dynamic symbol table, which the Swift runtime's
## start-up (dladdr, to find its own path) reads through. Generic types are made by their
## metadata accessors rather than from mangled names, which the runtime would demangle and
## check conformances for at first use (about 6% of synth's CPU time, measured with perf).
## Written to .build-release/release/berth.
release:
	swift build $(RELEASE_FLAGS) --product berth
	swift build $(RELEASE_FLAGS) --product berth-bench-app
	swift build $(RELEASE_FLAGS) --product berth-floor

## Put the release build of the sample app's `berth` on the PATH ($(PREFIX)/bin).
install: release
	install -d $(PREFIX)/bin
	install -m 755 .build-release/release/berth $(PREFIX)/bin/berth

## Synthesize the sample app's templates and manifest into $(OUT)/.
synth: build
	.build/debug/berth synth --out $(OUT)

## The sample app end to end against a local moto server: adopt an existing repository, synth,
## diff, deploy both phases behind the image gate, diff and deploy a new image tag. With the
## release build, which `make install` ships: the tests run the debug build.
demo: setup release
	python3 scripts/demo.py .build-release/release/berth

## Build examples/hello, an app of its own that depends on Berth by path, and synthesize it.
example: setup
	scripts/example.sh

## `berth init` writes a new app's package (Berth by path), which is built in its own build
## directory (.build-init) and synthesized without --config.
init-example: setup build
	scripts/init-example.sh .build/debug/berth

## The bad-input corpus (Tests/BadInput) through the built binary: exit codes, messages, no
## crash, no hang, nothing written, nothing sent, no secret printed.
bad-input: build
	python3 scripts/bad-input.py .build/debug/berth

## libFuzzer over the template, environment-file and XML readers, FUZZ_SECONDS (60) per target.
## Not part of `make test`.
fuzz:
	scripts/fuzz.sh

## Unit, golden, CLI and moto-backed integration tests, then cfn-lint, checkov and Control
## Tower's proactive controls over every synthesized template (JSON and YAML), the bad-input corpus, the example app built as an outside
## package and a package written by `berth init`, and the example GitHub Actions workflow through check-workflow.py, actionlint and
## zizmor. Instance metadata is switched off for the whole run as a safety net: no test may
## reach 169.254.169.254.
test: setup build
	AWS_EC2_METADATA_DISABLED=true swift test
	@$(MAKE) --no-print-directory lint-all
	@$(MAKE) --no-print-directory checkov
	@$(MAKE) --no-print-directory controls
	scripts/check-curl-constants.sh
	python3 scripts/check-workflow.py .build/debug/berth
	@$(MAKE) --no-print-directory workflow-lint
	@$(MAKE) --no-print-directory bad-input
	@$(MAKE) --no-print-directory example
	@$(MAKE) --no-print-directory init-example

## cfn-lint over the templates in $(OUT)/ (run `make synth` first).
lint:
	cfn-lint $(OUT)/*.template.*

## Synthesize the sample app as JSON and YAML, and the fixtures in Tests/Lint (every rollout
## strategy, jobs, every autoscaling key, a web service, a backend and a worker over Service
## Connect, the repository settings, environments under `controls: control-tower` in an existing and a new VPC,
## an environment in another account and region) and the bootstrap template (JSON and YAML), and lint them all: zero
## errors, zero warnings.
lint-all: build
	@rm -rf $(LINT_DIR) && mkdir -p $(LINT_DIR)/json $(LINT_DIR)/yaml $(LINT_DIR)/rollouts $(LINT_DIR)/jobs $(LINT_DIR)/scaling \
		$(LINT_DIR)/backends $(LINT_DIR)/repositories $(LINT_DIR)/controls $(LINT_DIR)/accounts
	.build/debug/berth synth --out $(LINT_DIR)/json --format json
	.build/debug/berth synth --out $(LINT_DIR)/yaml --format yaml
	.build/debug/berth synth --config Tests/Lint/rollouts --env stage --out $(LINT_DIR)/rollouts
	.build/debug/berth synth --config Tests/Lint/jobs --env stage --out $(LINT_DIR)/jobs
	.build/debug/berth synth --config Tests/Lint/scaling --env stage --out $(LINT_DIR)/scaling
	.build/debug/berth synth --config Tests/Lint/backends --env stage --out $(LINT_DIR)/backends
	.build/debug/berth synth --config Tests/Lint/repositories --env stage --out $(LINT_DIR)/repositories
	.build/debug/berth synth --config Tests/Lint/controls --env stage --out $(LINT_DIR)/controls
	.build/debug/berth synth --config Tests/Lint/controls --env isolated --out $(LINT_DIR)/controls
	.build/debug/berth synth --config Tests/Lint/accounts --env stage --out $(LINT_DIR)/accounts
	.build/debug/berth synth --bootstrap --out $(LINT_DIR)
	.build/debug/berth synth --bootstrap --out $(LINT_DIR) --format yaml
	cfn-lint $(LINT_DIR)/json/*.template.json $(LINT_DIR)/yaml/*.template.yaml $(LINT_DIR)/rollouts/*-stage.template.json \
		$(LINT_DIR)/jobs/*.template.json $(LINT_DIR)/scaling/*-stage.template.json $(LINT_DIR)/backends/*-stage.template.json \
		$(LINT_DIR)/repositories/*.template.json $(LINT_DIR)/controls/*.template.json $(LINT_DIR)/accounts/*.template.json \
		$(LINT_DIR)/bootstrap/*.template.*
	@echo "cfn-lint: every template passed with zero errors and zero warnings"

## checkov over what lint-all synthesized: zero failed checks. Each finding a template keeps on
## purpose is skipped in its resource's Metadata.checkov.skip with the reason; offline.
CHECKOV := $(HOME)/.cache/berth/checkov-3.3.30/bin/checkov
checkov:
	BC_SKIP_MAPPING=TRUE CKV_SKIP_PACKAGE_UPDATE_CHECK=true $(CHECKOV) --quiet --compact --framework cloudformation \
		--skip-download -d $(LINT_DIR)/json -d $(LINT_DIR)/yaml -d $(LINT_DIR)/rollouts -d $(LINT_DIR)/jobs -d $(LINT_DIR)/scaling \
		-d $(LINT_DIR)/backends -d $(LINT_DIR)/repositories -d $(LINT_DIR)/controls -d $(LINT_DIR)/accounts -d $(LINT_DIR)/bootstrap
	@echo "checkov: no failed check"

## AWS Control Tower's proactive controls (cfn-guard rules, with the cfn-guard binary they ship
## with) over what lint-all synthesized. A failure counts as accepted only when its resource
## records that control in Metadata.guard.SuppressedRules with a reason; an environment with
## `controls: control-tower` (--enforced) may fail none. Offline.
CONTROLS_HOME := $(HOME)/.cache/berth/cdk-validator-cfnguard-0.0.62
controls:
	python3 scripts/controls.py $(CONTROLS_HOME)/bin/cfn-guard $(CONTROLS_HOME)/rules/control-tower/cfn-guard \
		$(LINT_DIR)/json $(LINT_DIR)/yaml $(LINT_DIR)/rollouts $(LINT_DIR)/jobs $(LINT_DIR)/scaling $(LINT_DIR)/backends \
		$(LINT_DIR)/repositories $(LINT_DIR)/accounts $(LINT_DIR)/bootstrap --enforced $(LINT_DIR)/controls

## actionlint (shellcheck over the run: scripts) and zizmor over the example GitHub Actions
## workflow: zero findings. Offline: zizmor's online audits are off and it gets no GitHub token;
## no zizmor config file can mute a finding. Installed by `make setup`.
WORKFLOW := examples/github-actions/berth.yml
workflow-lint:
	@command -v shellcheck >/dev/null || { echo "workflow-lint: no shellcheck for actionlint to run (make setup)" >&2; exit 1; }
	actionlint $(WORKFLOW)
	@echo "actionlint: no finding"
	env -u GH_TOKEN -u GITHUB_TOKEN -u ZIZMOR_GITHUB_TOKEN zizmor --offline --no-config --quiet $(WORKFLOW)

## Release build; `synth --env dev` of the sample app against a floor program (Benchmarks/Floor),
## interleaved, within 1.5x; time synth for the sample app and for 10, 100 and 500 generated services;
## then, against a local moto, the AWS calls of one deploy and its final-status-to-exit time.
bench: release
	python3 scripts/bench.py .build-release/release
	python3 scripts/bench-deploy.py .build-release/release

## Rewrite scripts/berth.order from what synth, diff and --help run (needs valgrind).
## SwiftPM does not see the list as an input: remove the binaries so that the next build relinks.
order: release
	scripts/order-symbols.sh .build-release/release/berth scripts/berth.order
	rm -f .build-release/release/berth .build-release/release/berth-bench-app .build-release/release/berth-floor

## Rewrite the SigV4 test vectors with botocore's signer.
vectors: setup
	python3 scripts/sigv4-vectors.py Tests/AWSTests/Fixtures/sigv4-vectors.json

## Regenerate Sources/BerthResources/Generated from cfn-lint's resource provider schemas.
generate: setup
	python3 scripts/generate-resources.py Sources/BerthResources/Generated

## Rewrite the time zone names a schedule may name from the tz database (tzdata.zi).
time-zones:
	python3 scripts/generate-time-zones.py

clean:
	rm -rf .build .build-release .build-example .build-init .build-fuzz $(OUT)/*.json $(OUT)/*.yaml
