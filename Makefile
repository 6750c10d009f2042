# ROR Recherche. `make run` serves on http://localhost:8080; `make test` is what CI runs.
GO       ?= go
PKGS     ?= ./...
FUZZTIME ?= 10s
COUNT    ?= 6

.PHONY: run build web fhir-js test vet fmt-check bench bench-go fuzz golden load load-mixed clean

run: web
	$(GO) run ./cmd/ror serve

build: web
	$(GO) build -o bin/ror ./cmd/ror

# The page's vendored assets (DSFR, Leaflet) come from npm and are embedded.
web:
	@if [ -f api/web/package-lock.json ]; then cd api/web && npm ci --no-audit --no-fund --loglevel=error && ./build.sh; fi

# The FHIR API's consumer-side check: a FHIR client and an R4 validator from npm.
fhir-js:
	cd api/fhir/js && npm ci --no-audit --no-fund --loglevel=error

test: fmt-check vet web fhir-js
	ROR_REQUIRE_NODE=1 $(GO) test -race -timeout 40m $(PKGS)

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# The national benchmark: generates (ror gen) and imports the national set into var/national on first
# use, or reads ROR_BENCH_DATA; prints p50/p99 per case beside the issue's targets, the naive Bleve way,
# restart, memory and a wrk load (BENCHFLAGS: -n 400 -load 30s -conns 32 -naive=false -import).
SOURCES    ?= ../shared/data
NATIONAL   ?= var/national
BENCH_DATA ?= $(or $(ROR_BENCH_DATA),$(NATIONAL)/data)
BENCHFLAGS ?=
bench:
	$(GO) build -o bin/ror ./cmd/ror
	@command -v wrk >/dev/null || echo "wrk manquant (apt-get install wrk): pas de charge HTTP"
	@if [ ! -d $(BENCH_DATA)/badger ] && [ ! -f $(NATIONAL)/sources/uo.jsonl ]; then \
	  ./bin/ror gen -sources $(SOURCES) -out $(NATIONAL)/sources; fi
	./bin/ror bench -data $(BENCH_DATA) -sources $(NATIONAL)/sources $(BENCHFLAGS)

# The Go benchmarks of each package (compare medians of COUNT runs with benchstat).
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem -count $(COUNT) $(PKGS)

fuzz:
	@grep -r --include='*_test.go' -o '^func Fuzz[A-Za-z0-9_]*' . | while IFS=: read -r file fn; do \
	  fn=$${fn#func }; pkg=./$$(dirname $${file#./}); \
	  echo "fuzz $$pkg $$fn"; \
	  $(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done

golden:
	$(GO) test $(PKGS) -run Golden -update

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

clean:
	rm -rf var bin testout
