# The two commands of the README:  make demo  |  make test
# Both install into a project virtual environment, .venv (Debian refuses `pip install` into the
# system Python); afterwards `ictk` is .venv/bin/ictk, or plain `ictk` after `source .venv/bin/activate`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
ICTK := $(VENV)/bin/ictk
OUT ?= out
# Test workers: one per core. The slow LibreOffice and OCR tests are grouped (xdist_group) so
# each group's converter or OCR models are started once, in one worker.
TEST_WORKERS ?= auto

# Debian packages, one per line: LibreOffice (tests convert generated documents to PDF),
# CJK fonts, poppler (PDF to PNG), python3-venv (for .venv), chromium (the web page's browser tests).
APT_PACKAGES := \
	libreoffice-writer \
	fonts-noto-cjk \
	fonts-arphic-ukai \
	poppler-utils \
	python3-venv \
	chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test install system-deps lint

system-deps:
	@if command -v dpkg-query >/dev/null 2>&1; then \
		missing=""; \
		for p in $(APT_PACKAGES); do \
			dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
		done; \
		if [ -n "$$missing" ]; then \
			echo "安装系统依赖：$$missing ..."; \
			$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
				--no-install-recommends $$missing >/dev/null; \
		fi; \
	else \
		echo "不是 Debian/Ubuntu 系统：请自行安装 $(APT_PACKAGES)"; \
	fi

# The venv is (re)made when it is missing or the package's dependencies changed.
$(VENV)/.installed: setup.cfg pyproject.toml | system-deps
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[all,test]'
	@touch $@

install: $(VENV)/.installed

# The main job: a clerk's batch check of the bundled intake folder against a registry of
# recognised consortia (exit status 1 means "errors found in applications", 2 "a file could not be
# read": the sample folder has both on purpose).
demo: install
	@mkdir -p $(OUT)
	@rm -f $(OUT)/名录.db $(OUT)/名录.db-wal $(OUT)/名录.db-shm
	$(ICTK) registry --registry $(OUT)/名录.db import samples/intake/registry.csv
	$(ICTK) batch samples/intake/folder --registry $(OUT)/名录.db --xlsx $(OUT)/审查汇总.xlsx \
		--html $(OUT)/审查报告.html --json $(OUT)/审查结果.json --opinions $(OUT)/审核意见 --force; \
		test $$? -le 2
	$(ICTK) check samples/filled/edited/lz-pass-spaced.docx; test $$? -le 1
	$(ICTK) forms blank lz-preapply-2024 -o $(OUT)/柳州市市级创新联合体预申报表.docx --force
	$(ICTK) forms blank gx-recognition -o $(OUT)/广西壮族自治区创新联合体认定申请表.docx --force
	@echo "已生成 $(OUT)/：审查汇总.xlsx、审查报告.html、审查结果.json、审核意见/、空白申报表"
	@echo "命令行工具：$(ICTK)（或先执行 source $(VENV)/bin/activate，再直接用 ictk）"

# Every test, in parallel; tests/test_wheel.py also builds the wheel and runs the installed tool
# from outside the checkout.
test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup

lint: install
	$(VENV)/bin/ruff check toolkit tests bench && $(VENV)/bin/ruff format --check toolkit tests bench
	$(PY) -m toolkit.schema --check
