# ROR Recherche. `make run` serves on http://localhost:8080; `make test` is what CI runs.
GO       ?= go
PKGS     ?= ./...
FUZZTIME ?= 10s
COUNT    ?= 6

.PHONY: run build test vet fmt-check bench fuzz golden load clean

run:
	$(GO) run ./cmd/ror serve

build:
	$(GO) build -o bin/ror ./cmd/ror

test: fmt-check vet
	$(GO) test -race -timeout 30m $(PKGS)

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

bench:
	$(GO) test -run '^$$' -bench . -benchmem -count $(COUNT) $(PKGS)

fuzz:
	@grep -r --include='*_test.go' -o '^func Fuzz[A-Za-z0-9_]*' . | while IFS=: read -r file fn; do \
	  fn=$${fn#func }; pkg=./$$(dirname $${file#./}); \
	  echo "fuzz $$pkg $$fn"; \
	  $(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done

golden:
	$(GO) test $(PKGS) -run Golden -update

clean:
	rm -rf var bin testout
