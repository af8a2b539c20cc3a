# Build driver for webservices.dll.
#
# The module manifest is Makefile.in (MODULE, IMPORTLIB, IMPORTS, SOURCES), as
# in Wine's dlls/ directories, and the test manifest is tests/Makefile.in; this
# file reads both and builds, for x86_64 and i686, with MinGW-w64:
#   build/ARCH/webservices.dll        the DLL (export table from webservices.spec)
#   build/ARCH/libwebservices.a       import library (winebuild --implib)
#   build/ARCH/tests/webservices_test.exe   the winetest-style tests
#
# Targets: all (default), check, check-builtin, demo, demo-echo, status,
# update-status, bench, regen, clean.

include Makefile.in

PYTHON    ?= python3
WINE      ?= wine
WINEBUILD ?= winebuild
B         := build
GEN       := $(B)/gen
ARCHS     := x86_64 i686
PREFIX_DIR := $(abspath $(B)/wineprefix)

# The test manifest: read SOURCES/IMPORTS of tests/Makefile.in without
# clashing with the module's variables.
manifest = $(shell sed -e ':a' -e '/\\$$/N; s/\\\n//; ta' $(1) | sed -n 's/^$(2)[ \t]*=[ \t]*//p')
TEST_SOURCES := $(call manifest,tests/Makefile.in,SOURCES)
TEST_IMPORTS := $(call manifest,tests/Makefile.in,IMPORTS)
TEST_NAMES   := $(basename $(TEST_SOURCES))

C_SOURCES  := $(filter %.c,$(SOURCES))
RC_SOURCES := $(filter %.rc,$(SOURCES))

CFLAGS_COMMON := -std=gnu11 -O2 -g -Wall -Wextra -Werror $(EXTRADEFS) -Iinclude -I.
TEST_CFLAGS   := -std=gnu11 -O1 -g -Wall -Wextra -Werror -D__USE_MINGW_ANSI_STDIO=1 \
                 -Iinclude -Itests/include -I$(GEN)
LINK_DLL      := -shared -static-libgcc -Wl,--kill-at -Wl,--nxcompat -Wl,--dynamicbase

# Wine runtime: a private prefix in the build tree; our DLL preferred over
# the builtin (it sits next to every executable that uses it).
WINEDEBUG ?= -all
export WINEDEBUG
RUN_ENV := WINEPREFIX=$(PREFIX_DIR) WINEDLLOVERRIDES="webservices=n" WINETEST_PLATFORM=windows
RUN_ENV_BUILTIN := WINEPREFIX=$(PREFIX_DIR) WINEDLLOVERRIDES="webservices=b" WINETEST_PLATFORM=wine

GENERATED := $(GEN)/abi_data.h $(GEN)/abi_wine.h $(GEN)/ws_calls.h $(GEN)/testlist.c
WINE_HEADERS := /usr/include/wine/wine/windows

.PHONY: all check check-builtin demo demo-echo status update-status bench clean regen
all: $(foreach a,$(ARCHS),$(B)/$(a)/webservices.dll $(B)/$(a)/libwebservices.a \
        $(B)/$(a)/tests/webservices_test.exe $(B)/$(a)/exports_status.exe $(B)/$(a)/echo.exe \
        $(B)/$(a)/calculator.exe \
        $(B)/$(a)/link_c.exe $(B)/$(a)/link_cxx.exe $(B)/$(a)/abi_static.o $(B)/$(a)/abi_wine.o)

# ---- generated sources -------------------------------------------------

$(GEN)/.dir:
	mkdir -p $(GEN) && touch $@

$(GEN)/abi_data.h $(GEN)/abi_wine.h &: tools/gen_abi_check.py tools/wsmeta.py | $(GEN)/.dir
	$(PYTHON) tools/gen_abi_check.py $(GEN) $(WINE_HEADERS)/webservices.h

$(GEN)/ws_calls.h: tools/gen_calls.py tools/wsmeta.py | $(GEN)/.dir
	$(PYTHON) tools/gen_calls.py $@

# Like Wine's make_makefiles: the test list comes from the test manifest.
$(GEN)/testlist.c: tests/Makefile.in | $(GEN)/.dir
	{ echo '/* GENERATED from tests/Makefile.in */'; echo '#define STANDALONE'; echo '#include "wine/test.h"'; \
	  for t in $(TEST_NAMES); do echo "extern void func_$$t(void);"; done; \
	  echo 'const struct test winetest_testlist[] ='; echo '{'; \
	  for t in $(TEST_NAMES); do echo "    { \"$$t\", func_$$t },"; done; \
	  echo '    { 0, 0 }'; echo '};'; } > $@

# Regenerate the committed header and spec after a metadata change.
regen:
	$(PYTHON) tools/gen_header.py
	$(PYTHON) tools/gen_spec.py

# ---- per-architecture rules ----------------------------------------------

define arch_rules
CC_$(1)   := $(1)-w64-mingw32-gcc
CXX_$(1)  := $(1)-w64-mingw32-g++
RC_$(1)   := $(1)-w64-mingw32-windres
OBJS_$(1) := $$(patsubst %.c,$(B)/$(1)/%.o,$$(C_SOURCES)) $$(patsubst %.rc,$(B)/$(1)/%.res.o,$$(RC_SOURCES))

$(B)/$(1)/.dir:
	mkdir -p $(B)/$(1)/tests && touch $$@

$(B)/$(1)/%.o: %.c webservices_private.h include/webservices.h | $(B)/$(1)/.dir
	$$(CC_$(1)) $$(CFLAGS_COMMON) -c -o $$@ $$<

$(B)/$(1)/%.res.o: %.rc | $(B)/$(1)/.dir
	$$(RC_$(1)) -i $$< -o $$@

$(B)/$(1)/webservices.def: webservices.spec | $(B)/$(1)/.dir
	$(WINEBUILD) --def -E webservices.spec -b $(1)-w64-mingw32 -o $$@

$(B)/$(1)/libwebservices.a: webservices.spec | $(B)/$(1)/.dir
	$(WINEBUILD) --implib -E webservices.spec -b $(1)-w64-mingw32 -o $$@

$(B)/$(1)/webservices.dll: $$(OBJS_$(1)) $(B)/$(1)/webservices.def
	$$(CC_$(1)) $(LINK_DLL) -o $$@ $$(OBJS_$(1)) $(B)/$(1)/webservices.def $(addprefix -l,$(IMPORTS))

$(B)/$(1)/tests/webservices_test.exe: $(addprefix tests/,$(TEST_SOURCES)) $(GEN)/testlist.c $(GENERATED) \
        tests/include/wine/test.h include/webservices.h $(B)/$(1)/libwebservices.a $(B)/$(1)/webservices.dll
	$$(CC_$(1)) $(TEST_CFLAGS) -o $$@ $(addprefix tests/,$(TEST_SOURCES)) $(GEN)/testlist.c \
	    -L$(B)/$(1) $(addprefix -l,$(TEST_IMPORTS))
	cp $(B)/$(1)/webservices.dll $(B)/$(1)/tests/

$(B)/$(1)/exports_status.exe: examples/exports_status.c $(GEN)/ws_calls.h include/webservices.h $(B)/$(1)/libwebservices.a
	$$(CC_$(1)) $(TEST_CFLAGS) -o $$@ $$< -L$(B)/$(1) -lwebservices -lversion

$(B)/$(1)/echo.exe: examples/echo.c include/webservices.h $(B)/$(1)/libwebservices.a
	$$(CC_$(1)) -municode $(TEST_CFLAGS) -o $$@ $$< -L$(B)/$(1) -lwebservices

$(B)/$(1)/calculator.exe: examples/calculator.c include/webservices.h $(B)/$(1)/libwebservices.a
	$$(CC_$(1)) -municode $(TEST_CFLAGS) -o $$@ $$< -L$(B)/$(1) -lwebservices

$(B)/$(1)/link_c.exe: tests/link/link_all.c $(GEN)/ws_calls.h include/webservices.h $(B)/$(1)/libwebservices.a
	$$(CC_$(1)) -Wall -Wextra -Werror -pedantic -Iinclude -I$(GEN) -x c -o $$@ $$< -L$(B)/$(1) -lwebservices

$(B)/$(1)/link_cxx.exe: tests/link/link_all.c $(GEN)/ws_calls.h include/webservices.h $(B)/$(1)/libwebservices.a
	$$(CXX_$(1)) -Wall -Wextra -Werror -pedantic -Iinclude -I$(GEN) -x c++ -o $$@ $$< -L$(B)/$(1) -lwebservices

# Compile-time ABI checks: our header, and Wine's header with Wine's own headers.
$(B)/$(1)/abi_static.o: tests/abi_static.c $(GEN)/abi_data.h include/webservices.h | $(B)/$(1)/.dir
	$$(CC_$(1)) -std=gnu11 -Wall -Wextra -Werror -Iinclude -I$(GEN) -c -o $$@ $$<

$(B)/$(1)/abi_wine.o: tests/abi_wine.c $(GEN)/abi_wine.h | $(B)/$(1)/.dir
	$$(CC_$(1)) -std=gnu11 -Wall -Wextra -Werror -nostdinc -isystem /usr/include/wine/wine/msvcrt \
	    -isystem $(WINE_HEADERS) -isystem $$$$($$(CC_$(1)) -print-file-name=include) -I$(GEN) -c -o $$@ $$<
endef
$(foreach a,$(ARCHS),$(eval $(call arch_rules,$(a))))

# ---- running ---------------------------------------------------------------

$(PREFIX_DIR)/.created:
	mkdir -p $(PREFIX_DIR)
	WINEPREFIX=$(PREFIX_DIR) WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" wineboot -i >/dev/null 2>&1 || true
	WINEPREFIX=$(PREFIX_DIR) wineserver -w || true
	touch $@

# The whole suite: build checks (generated files current, export tables,
# link tests, ABI), the debug channel, the README status table, the test
# harness's self-test, the calculator and echo demos, the interop checks with
# independent peers (Wine's builtin DLL over net.tcp and HTTP; curl and the npm soap
# package over HTTP, installed into $(B)/soap-peer by tests/soap_peer.sh; the
# service host with the builtin's service proxy, curl and npm soap:
# tests/host_interop.sh), then
# every test of the test exe under Wine against our DLL; the results of the
# scripts are added to the totals, and one final "N passed, N failed" line.
check: all $(PREFIX_DIR)/.created
	@tools/check-build.sh $(B) > $(B)/build.result 2>&1; cat $(B)/build.result
	@cp $(B)/x86_64/link_c.exe $(B)/x86_64/exports_status.exe $(B)/x86_64/tests/
	@$(RUN_ENV) tests/debug_channel.sh $(B)/x86_64/tests/link_c.exe > $(B)/debug_channel.result 2>&1; \
	 cat $(B)/debug_channel.result
	@$(RUN_ENV) tools/check-status.sh $(B)/x86_64/tests/exports_status.exe > $(B)/status_table.result 2>&1; \
	 cat $(B)/status_table.result
	@WINEPREFIX=$(PREFIX_DIR) tests/harness/check-harness.sh > $(B)/harness.result 2>&1; \
	 grep -v '^ok - ' $(B)/harness.result
	@cp $(B)/x86_64/echo.exe $(B)/x86_64/calculator.exe $(B)/x86_64/tests/
	@$(RUN_ENV) tests/demo.sh $(B)/x86_64/tests/calculator.exe $(B)/x86_64/tests/echo.exe > $(B)/demo.result 2>&1; \
	 cat $(B)/demo.result
	@WINEPREFIX=$(PREFIX_DIR) tests/interop.sh $(B)/x86_64/tests > $(B)/interop.result 2>&1; cat $(B)/interop.result
	@$(RUN_ENV) tests/soap_peer.sh $(B)/x86_64/tests $(B)/soap-peer > $(B)/soap_peer.result 2>&1; cat $(B)/soap_peer.result
	@WINEPREFIX=$(PREFIX_DIR) tests/host_interop.sh $(B)/x86_64/tests $(B)/soap-peer > $(B)/host_interop.result 2>&1; \
	 cat $(B)/host_interop.result
	@$(RUN_ENV) WS_TEST_EXPECT_DLL=ours \
	 EXTRA_RESULTS="$(B)/build.result $(B)/debug_channel.result $(B)/status_table.result $(B)/harness.result $(B)/demo.result $(B)/interop.result $(B)/soap_peer.result $(B)/host_interop.result" \
	 tools/run-tests.sh $(B)/x86_64/tests/webservices_test.exe

# The same tests against Wine's builtin webservices.dll, for comparison; never fails.
check-builtin: all $(PREFIX_DIR)/.created
	-@$(RUN_ENV_BUILTIN) tools/run-tests.sh $(B)/x86_64/tests/webservices_test.exe

# The main job: show which DLL Wine loads and the export status, then the
# two-process calculator demo (examples/calculator.c: a service host with a
# sessionful net.tcp endpoint and an HTTP endpoint, a client calling it
# through service proxies, then a blocked call cancelled by
# WsAbortServiceHost and a clean close).  demo-echo: the older echo demo (a
# server on listeners and channels) over net.tcp, net.pipe and HTTP.
DEMO_PORT ?= 8765
DEMO_HTTP_PORT ?= 8766
demo: all $(PREFIX_DIR)/.created
	cp $(B)/x86_64/webservices.dll $(B)/x86_64/exports_status.exe $(B)/x86_64/calculator.exe $(B)/x86_64/tests/
	$(RUN_ENV) $(WINE) $(B)/x86_64/tests/exports_status.exe
	$(RUN_ENV) $(WINE) $(B)/x86_64/tests/calculator.exe demo net.tcp://localhost:$(DEMO_PORT)/calculator \
	    http://localhost:$(DEMO_HTTP_PORT)/calculator

demo-echo: all $(PREFIX_DIR)/.created
	cp $(B)/x86_64/webservices.dll $(B)/x86_64/echo.exe $(B)/x86_64/tests/
	$(RUN_ENV) $(WINE) $(B)/x86_64/tests/echo.exe demo net.tcp://localhost:$(DEMO_PORT)/echo net.pipe://localhost/echo \
	    http://localhost:$(DEMO_HTTP_PORT)/echo

# The README's status table.
status: all $(PREFIX_DIR)/.created
	@cp $(B)/x86_64/exports_status.exe $(B)/x86_64/tests/
	@$(RUN_ENV) $(WINE) $(B)/x86_64/tests/exports_status.exe --markdown | tr -d '\r'

# Benchmarks: our DLL and Wine's builtin on identical work, in one run.
bench: all $(PREFIX_DIR)/.created
	bench/run-heap.sh $(B)
	bench/run-xmlread.sh $(B)
	bench/run-xmlwrite.sh $(B)
	bench/run-binxml.sh $(B)
	bench/run-serialize.sh $(B)
	bench/run-tcp.sh $(B)
	bench/run-http.sh $(B)
	bench/run-proxy.sh $(B)
	bench/run-host.sh $(B)

# Rewrite the README's status table from the status program.
update-status: all $(PREFIX_DIR)/.created
	@cp $(B)/x86_64/exports_status.exe $(B)/x86_64/tests/
	@$(RUN_ENV) $(WINE) $(B)/x86_64/tests/exports_status.exe --markdown | tr -d '\r' > $(B)/status.md
	@$(PYTHON) -c 'import sys; r=open("README.md").read(); t=open(sys.argv[1]).read(); \
	 a,b=r.split("<!-- status:begin -->\n"); _,c=b.split("<!-- status:end -->"); \
	 open("README.md","w").write(a+"<!-- status:begin -->\n"+t+"<!-- status:end -->"+c)' $(B)/status.md

clean:
	rm -rf $(B)
