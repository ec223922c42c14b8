# The two commands of the README:  make demo  |  make test
PYTHON ?= python3
OUT ?= out

.PHONY: demo test install system-deps lint

# LibreOffice (tests convert generated documents to PDF), CJK fonts, poppler (PDF to PNG).
system-deps:
	@if ! command -v soffice >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q . || ! command -v pdftoppm >/dev/null 2>&1; then \
		echo "安装系统依赖：LibreOffice、中文字体、poppler ..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			libreoffice-writer fonts-noto-cjk fonts-arphic-ukai poppler-utils >/dev/null; \
	fi

install: system-deps
	$(PYTHON) -m pip install -q --disable-pip-version-check -e '.[all,test]'

demo: install
	@mkdir -p $(OUT)
	ictk forms blank lz-preapply-2024 -o $(OUT)/柳州市市级创新联合体预申报表.docx --force
	ictk forms blank gx-recognition -o $(OUT)/广西壮族自治区创新联合体认定申请表.docx --force

test: install
	$(PYTHON) -m pytest

lint:
	ruff check toolkit tests bench && ruff format --check toolkit tests bench
	$(PYTHON) -m toolkit.schema --check
