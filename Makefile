# xpship — one binary from cmd/, pipeline/, packager/ and common/.
#
#   make            build build/xpship
#   make test       install missing packages, build, run every test
#   make asan       the whole test suite under AddressSanitizer + UBSan
#   make fuzz       libFuzzer targets (clang), each for FUZZ_SECONDS
#   make bench      benchmarks against peers and the hardware limit
#   make demo       the shipped example end to end
#   make check-fresh  make demo twice and make test in a pristine Debian 12 root
#   make install    PREFIX=/usr/local: binary, man pages, completions, templates
#   make uninstall  removes what make install put (same PREFIX, DESTDIR)
#   make dist       dist/: xpship-VERSION.tar.gz, xpship_VERSION_ARCH.deb, SHA256SUMS
#
# XPSHIP=PATH: install, dist and demo use that binary instead of building one.

VERSION    := 0.1.0
PREFIX     ?= /usr/local
CC         ?= cc
BUILD      ?= build
FUZZ_SECONDS ?= 20
DESTDIR    ?=
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share
MANDIR     ?= $(DATADIR)/man
TEMPLATEDIR ?= $(DATADIR)/xpship/templates
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR ?= $(DATADIR)/zsh/site-functions
FISHCOMPDIR ?= $(DATADIR)/fish/vendor_completions.d
DISTDIR    ?= dist

# pkg-config answers once the libraries are installed: targets that install
# them first (test, demo, asan, fuzz) build in a second make that reads these
# again after `deps`.
PKGS       := libcurl libarchive yaml-0.1 libcrypto jansson libsodium zlib libzstd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN       := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral \
              -Wstrict-prototypes -Wmissing-prototypes -Wvla
OPT        ?= -O2 -g
XCFLAGS    := -std=c11 $(WARN) $(OPT) -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 \
              -D_POSIX_C_SOURCE=200809L -DXP_VERSION='"$(VERSION)"' -I. $(PKG_CFLAGS)
SAN        ?=
ALL_CFLAGS  = $(XCFLAGS) $(SAN) $(CFLAGS)
ALL_LDFLAGS = $(SAN) $(LDFLAGS)
LIBS       := $(PKG_LIBS) -lpthread -lm

LIB_SRC    := $(sort $(wildcard common/*.c pipeline/*.c packager/*.c))
CMD_SRC    := $(sort $(wildcard cmd/*.c))
UNIT_SRC   := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC   := $(sort $(wildcard tests/fuzz/fuzz_*.c))

LIB_OBJ    := $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_OBJ    := $(CMD_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIBXP      := $(BUILD)/libxpship.a
BIN        := $(BUILD)/xpship
XPSHIP     ?= $(BIN)
# what makes $(XPSHIP): nothing when it is given
XPSHIP_DEP := $(if $(filter $(BIN),$(XPSHIP)),$(BIN))

# Debian packages the build, the tests and the demo need (libc6-dev is only a
# Recommends of gcc: installs without recommends need it named; jq is what the
# monitoring templates merge metrics files with, as on GitHub's runners).
DEB_PKGS   := make gcc libc6-dev pkg-config libcurl4-openssl-dev libarchive-dev libyaml-dev \
              libssl-dev libjansson-dev libcmocka-dev docker-registry skopeo umoci \
              apache2-utils openssl curl python3 python3-cryptography libxml2-utils \
              ca-certificates zstd python3-yaml groovy default-jre-headless time \
              python3-numpy python3-sklearn libsodium-dev python3-nacl python3-scipy chromium \
              zlib1g-dev libzstd-dev zsh fish dpkg-dev man-db jq
# What the benchmarks run side by side: the reference tools and the Python peers.
BENCH_PKGS := pigz zstd python3-pandas python3-scipy python3-sklearn skopeo umoci openssl

.PHONY: all deps deps-clang test unit-bins asan fuzz fuzz-bins bench demo install uninstall \
        clean check-clang check-fresh man completions dist

all: $(BIN)

# Objects are rebuilt when the compiler or the flags change (gcc and clang trees
# never mix).
FLAGS_STAMP := $(BUILD)/.flags-$(shell echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' | cksum | cut -d' ' -f1)
$(FLAGS_STAMP):
	@mkdir -p $(BUILD)
	@rm -f $(BUILD)/.flags-*
	@touch $@

$(BUILD)/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(LIBXP): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@rm -f $@
	@ar rcs $@ $^

$(BIN): $(CMD_OBJ) $(LIBXP)
	@echo "  LINK    $@"
	@$(CC) $(ALL_LDFLAGS) -o $@ $(CMD_OBJ) $(LIBXP) $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIBXP) $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -MMD -MP $< -o $@ $(ALL_LDFLAGS) $(LIBXP) $(LIBS) -lcmocka

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d) $(UNIT_BIN:=.d)

# Installs what is missing; prints the command instead when not root.
deps:
	@sh tests/helpers/deps.sh $(DEB_PKGS)
	@sh tests/helpers/deps-npm.sh

deps-clang:
	@sh tests/helpers/deps-clang.sh

test: deps
	@$(MAKE) --no-print-directory all unit-bins
	@XPSHIP_BIN=$(abspath $(BIN)) XPSHIP_UNIT_DIR=$(abspath $(BUILD)/tests) \
	  bash tests/run.sh $(TESTS)

unit-bins: $(UNIT_BIN)

# Sanitizers: a separate build tree; any report fails the run.
asan: deps deps-clang
	@$(MAKE) --no-print-directory BUILD=build-asan CC=clang OPT="-O1 -g" \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  all unit-bins
	@XPSHIP_BIN=$(abspath build-asan/xpship) XPSHIP_UNIT_DIR=$(abspath build-asan/tests) \
	  XPSHIP_SANITIZE=1 bash tests/run.sh $(TESTS)

FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)
build-fuzz/%: tests/fuzz/%.c FORCE
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang OPT="-O1 -g" \
	  SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" \
	  build-fuzz/libxpship.a
	clang $(XCFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined $< -o $@ \
	  build-fuzz/libxpship.a $(LIBS)

fuzz: deps deps-clang
	@$(MAKE) --no-print-directory fuzz-bins
	@sh tests/helpers/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_BIN)

fuzz-bins: $(FUZZ_BIN)

bench: all
	@sh tests/helpers/deps.sh $(BENCH_PKGS)
	@sh bench/run.sh $(abspath $(BIN))

demo: deps
	@$(if $(XPSHIP_DEP),$(MAKE) --no-print-directory $(XPSHIP_DEP),true)
	@bash templates/demo/demo.sh $(abspath $(XPSHIP))

# The README's two commands on a pristine Debian 12 root (mmdebstrap, as root).
check-fresh:
	@bash tests/helpers/check_fresh.sh

# Both compilers must build the tree warning-free.
check-clang:
	@$(MAKE) --no-print-directory BUILD=build-clang CC=clang all unit-bins

# Man pages and completion scripts, made by the binary from its own tables.
man: $(XPSHIP_DEP)
	@rm -rf $(BUILD)/man && mkdir -p $(BUILD)/man
	@for c in $$($(XPSHIP) man --list); do \
	  $(XPSHIP) man "$$c" >$(BUILD)/man/xpship-$$c.1 || exit 1; done

completions: $(XPSHIP_DEP)
	@mkdir -p $(BUILD)/completions
	@$(XPSHIP) completion bash >$(BUILD)/completions/xpship
	@$(XPSHIP) completion zsh >$(BUILD)/completions/_xpship
	@$(XPSHIP) completion fish >$(BUILD)/completions/xpship.fish

# The templates users copy, without the demo (it runs from a checkout).
TEMPLATE_FILES = $(shell cd templates && find . -type f ! -path './demo/*' | sort)

install: man completions
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) \
	  $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 0755 $(XPSHIP) $(DESTDIR)$(BINDIR)/xpship
	install -m 0644 docs/xpship.1 $(BUILD)/man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 $(BUILD)/completions/xpship $(DESTDIR)$(BASHCOMPDIR)/xpship
	install -m 0644 $(BUILD)/completions/_xpship $(DESTDIR)$(ZSHCOMPDIR)/_xpship
	install -m 0644 $(BUILD)/completions/xpship.fish $(DESTDIR)$(FISHCOMPDIR)/xpship.fish
	@cd templates && for f in $(TEMPLATE_FILES); do \
	  install -D -m 0644 "$$f" "$(DESTDIR)$(TEMPLATEDIR)/$$f" || exit 1; done
	@echo "installed xpship in $(DESTDIR)$(BINDIR), templates in $(DESTDIR)$(TEMPLATEDIR)"

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/xpship $(DESTDIR)$(MANDIR)/man1/xpship.1 \
	  $(DESTDIR)$(MANDIR)/man1/xpship-*.1 $(DESTDIR)$(BASHCOMPDIR)/xpship \
	  $(DESTDIR)$(ZSHCOMPDIR)/_xpship $(DESTDIR)$(FISHCOMPDIR)/xpship.fish
	rm -rf $(DESTDIR)$(TEMPLATEDIR)
	rmdir $(DESTDIR)$(DATADIR)/xpship 2>/dev/null || true

# The release: the source tarball of HEAD, a Debian package of the binary
# (Depends from dpkg-shlibdeps) and their SHA-256 sums, in $(DISTDIR).
dist: $(XPSHIP_DEP)
	@VERSION=$(VERSION) XPSHIP=$(abspath $(XPSHIP)) BUILD=$(abspath $(BUILD)) \
	  DISTDIR=$(abspath $(DISTDIR)) MAKE="$(MAKE)" sh packaging/dist.sh

clean:
	rm -rf build build-asan build-fuzz build-clang

FORCE:
