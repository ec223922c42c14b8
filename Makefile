# The two commands of the README:  make demo  |  make test
PYTHON ?= python3
OUT ?= out

.PHONY: demo test install system-deps lint

# LibreOffice (tests convert generated documents to PDF), CJK fonts, poppler (PDF to PNG).
system-deps:
	@if ! command -v soffice >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q . || ! command -v pdftoppm >/dev/null 2>&1; then \
		echo "安装系统依赖：LibreOffice、中文字体、poppler ..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			libreoffice-writer fonts-noto-cjk fonts-arphic-ukai poppler-utils chromium >/dev/null; \
	fi

install: system-deps
	$(PYTHON) -m pip install -q --disable-pip-version-check -e '.[all,test]'

# The main job: a clerk's batch check of the bundled intake folder against a registry of
# recognised consortia (exit status 1 means "errors found in applications", 2 "a file could not be
# read": the sample folder has both on purpose).
demo: install
	@mkdir -p $(OUT)
	@rm -f $(OUT)/名录.db
	ictk registry --registry $(OUT)/名录.db import samples/intake/registry.csv
	ictk batch samples/intake/folder --registry $(OUT)/名录.db --xlsx $(OUT)/审查汇总.xlsx \
		--html $(OUT)/审查报告.html --json $(OUT)/审查结果.json --opinions $(OUT)/审核意见 --force; \
		test $$? -le 2
	ictk check samples/filled/edited/lz-pass-spaced.docx; test $$? -le 1
	ictk forms blank lz-preapply-2024 -o $(OUT)/柳州市市级创新联合体预申报表.docx --force
	ictk forms blank gx-recognition -o $(OUT)/广西壮族自治区创新联合体认定申请表.docx --force
	@echo "结果已写入 $(OUT)/：审查汇总.xlsx、审查报告.html、审查结果.json、审核意见/、空白申报表"

test: install
	$(PYTHON) -m pytest

lint:
	ruff check toolkit tests bench && ruff format --check toolkit tests bench
	$(PYTHON) -m toolkit.schema --check
