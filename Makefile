# ROR Recherche. `make run` serves on port 8080 (all interfaces); `make test` is the test command CI runs
# (.ci/run also fuzzes each parser a few seconds: `make fuzz`). Prerequisites: README, « Set-up ».
GO       ?= go
PKGS     ?= ./...
FUZZTIME ?= 10s
COUNT    ?= 6

.PHONY: run build web node-deps test vet staticcheck fmt-check bench bench-go fuzz golden load load-mixed cluster cluster-test clean

# The Go build is the only step: the page's vendored assets are committed in api/web/dist, so a clone
# runs with no network. `go build` is incremental; the binary is relinked only when a source changed.
run: build
	./bin/ror serve

build:
	$(GO) build -o bin/ror ./cmd/ror

# Rebuilds the page's vendored assets (DSFR, Leaflet, from npm) into api/web/dist, to commit after a
# change of api/web/package-lock.json (TestVendoredAssetsMatchLock fails until then). Needs Node >= 20.
web:
	cd api/web && npm ci --no-audit --no-fund --loglevel=error && ./build.sh

# The Node-based checks: the FHIR API's consumer side (TestFHIRClientAndValidator: a FHIR client and an
# R4 validator, api/fhir/js) and the page's accessibility (axe-core, api/web's devDependency, run in
# Chromium by the browser tests). `npm ci` runs only when a lock file is newer than its node_modules,
# up to three times (a registry that drops a connection should not fail the suite).
# Without Node >= 20 these checks are skipped, said so; ROR_REQUIRE_NODE=1 (CI) makes that an error.
NODEDIRS = api/fhir/js api/web
node-deps:
	@if node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' 2>/dev/null; then \
	  for d in $(NODEDIRS); do \
	    if [ ! -f $$d/node_modules/.package-lock.json ] || [ $$d/package-lock.json -nt $$d/node_modules/.package-lock.json ]; then \
	      ok=; for try in 1 2 3; do \
	        echo "npm ci in $$d ($$try/3)"; \
	        if (cd $$d && npm ci --no-audit --no-fund --loglevel=error --fetch-retries=4); then ok=1; break; fi; \
	        sleep $$((try * 10)); \
	      done; [ -n "$$ok" ] || exit 1; \
	    fi; \
	  done; \
	elif [ -n "$$ROR_REQUIRE_NODE" ]; then \
	  echo "Node >= 20 manquant (node: $$(node --version 2>/dev/null || echo absent)) et ROR_REQUIRE_NODE est posé"; exit 1; \
	else \
	  echo "Node >= 20 absent (node: $$(node --version 2>/dev/null || echo absent)): contrôles FHIR (fhir-kit-client) et accessibilité (axe-core) sautés"; \
	fi

# The race detector needs cgo, so gcc; without it the tests run without -race, said so (CI has gcc).
RACE = $(shell command -v gcc >/dev/null 2>&1 && echo -race)
# The browser tests leave their screenshots (360 and 1366 px, each state) in testout/screenshots.
test: fmt-check vet staticcheck node-deps
	@[ -n "$(RACE)" ] || echo "gcc absent: tests sans détecteur de courses (-race)"
	ROR_SCREENSHOTS=$(CURDIR)/testout/screenshots $(GO) test $(RACE) -timeout 70m $(PKGS)

vet:
	$(GO) vet $(PKGS)

# staticcheck, pinned: .ci/run installs this version first (go install), here
# it runs from the module cache.
STATICCHECK_VERSION ?= v0.8.2
STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
staticcheck:
	$(STATICCHECK) $(PKGS)
print-staticcheck-version:
	@echo $(STATICCHECK_VERSION)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# The national benchmark: generates (ror gen) and imports the national set into var/national on first
# use, or reads ROR_BENCH_DATA; prints p50/p99 per case beside the issue's targets, the naive Bleve way,
# restart, memory and a wrk load (BENCHFLAGS: -n 400 -load 30s -conns 32 -naive=false -import). The
# harness is cmd/rorbench; it serves the service binary bin/ror.
SOURCES    ?= ../shared/data
NATIONAL   ?= var/national
BENCH_DATA ?= $(or $(ROR_BENCH_DATA),$(NATIONAL)/data)
BENCHFLAGS ?=
bench:
	$(GO) build -o bin/ror ./cmd/ror
	@command -v wrk >/dev/null || echo "wrk manquant (apt-get install wrk): pas de charge HTTP"
	@if [ ! -d $(BENCH_DATA)/badger ] && [ ! -f $(NATIONAL)/sources/uo.jsonl ]; then \
	  ./bin/ror gen -sources $(SOURCES) -out $(NATIONAL)/sources; fi
	$(GO) run ./cmd/rorbench -bin bin/ror -data $(BENCH_DATA) -sources $(NATIONAL)/sources $(BENCHFLAGS)

# The Go benchmarks of each package (compare medians of COUNT runs with benchstat).
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem -count $(COUNT) $(PKGS)

fuzz:
	@grep -r --include='*_test.go' -o '^func Fuzz[A-Za-z0-9_]*' . | while IFS=: read -r file fn; do \
	  fn=$${fn#func }; pkg=./$$(dirname $${file#./}); \
	  echo "fuzz $$pkg $$fn"; \
	  $(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done

# Rewrites the golden answers (search, problem bodies, FHIR) of the packages
# that define -update; review the diff before committing.
GOLDEN_PKGS ?= ./cmd/ror
golden:
	$(GO) test $(GOLDEN_PKGS) -run Golden -count=1 -update

# wrk against a server started here on loopback (rate limits off): 30 s of the query mix.
LOADADDR ?= 127.0.0.1:8097
load: build
	@command -v wrk >/dev/null || { echo "wrk manquant: apt-get install wrk"; exit 1; }
	@./bin/ror serve -addr $(LOADADDR) -data var/data -read-rate -1 -log-level warn & pid=$$!; \
	  for i in $$(seq 60); do curl -sf http://$(LOADADDR)/readyz >/dev/null && break; sleep 1; done; \
	  wrk -t2 -c32 -d30s --latency -s api/testdata/load-mix.lua http://$(LOADADDR); \
	  kill $$pid

# cmd/rorload: the real service on loopback for $(LOADTIME) (rate limits off) under concurrent reads and
# writes (beds, feeds, dossiers, reports), no error answer allowed, resident memory watched each second.
LOADTIME ?= 60s
SOURCES  ?= ../shared/data
load-mixed:
	$(GO) build -o bin/ror ./cmd/ror
	$(GO) run ./cmd/rorload -bin bin/ror -sources $(SOURCES) -duration $(LOADTIME) -v

# Three nodes of a cluster on loopback (serve -cluster: a log of writes replicated by NATS JetStream,
# embedded), HTTP on 18180-18182, the data of CLUSTER_DEPS under var/cluster; Ctrl-C stops them.
CLUSTER_DEPS ?= 01
cluster: build
	$(GO) run ./cmd/rorcluster -bin bin/ror -sources $(SOURCES) -departements $(CLUSTER_DEPS) -dir var/cluster -port 18180 -serve

# The cluster broken on purpose under a mixed load, bounded (about 3 minutes on small data): SIGKILL one
# node then another, one stopped 30 s, one disk wiped; then 0 acknowledged write lost or applied twice,
# identical digests, no 5xx but 503 with Retry-After (cmd/rorcluster).
cluster-test: build
	$(GO) run ./cmd/rorcluster -bin bin/ror -sources $(SOURCES) -departements $(CLUSTER_DEPS)

clean:
	rm -rf var bin testout
