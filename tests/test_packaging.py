"""textmend as a package: the careful reader's extractors are an extra the default install
does without, and the built wheel installs with the pip a fresh venv comes with.

The tests marked `packaging` build the sdist and the wheel and install the wheel in fresh
venvs (the package index gives the dependencies): about 20-30 s here. They skip, saying
why, where `build` is not installed or the index cannot be reached; `-m "not packaging"`
deselects them."""

from __future__ import annotations

import ast
import glob
import json
import os
import shutil
import subprocess
import sys
import tarfile
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "spam_page_zh.txt"
EXPECTED = ROOT / "samples" / "spam_page_zh.expected.txt"
PAGE = (
    "<!DOCTYPE html><html><head><title>测试新闻标题 - 某某网</title></head><body>"
    '<div id="nav">首页 &gt; 新闻</div><article><h1>测试新闻标题</h1>'
    "<p>北京时间昨天晚上，国家统计局发布了最新的经济数据，数据显示今年前三季度国内生产总值同比增长百分之五。</p>"
    "</article><footer>版权所有 © 2024 某某网 京ICP备12345678号</footer></body></html>"
)
ARTICLE = (
    "测试新闻标题\n\n"
    "北京时间昨天晚上，国家统计局发布了最新的经济数据，数据显示今年前三季度国内生产总值同比增长百分之五。\n"
)
# The careful reader's extractors and what they bring (the extra `careful`).
EXTRACTORS = ("readability", "trafilatura", "justext", "htmldate", "courlan")
CAREFUL_LINE = (
    "textmend: error: --html-reader careful needs readability-lxml and trafilatura: "
    "pip install 'textmend[careful]' ("
)
# Run with the extractors missing: an import of any of them fails as if not installed.
WITHOUT_EXTRACTORS = "import sys\nfor name in {names!r}:\n    sys.modules[name] = None\n"
CLI = "from textmend.cli import main\nsys.argv[0] = 'textmend'\nmain()\n"


def _run(code: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=120,
    )


def _without_extractors(code: str) -> str:
    return WITHOUT_EXTRACTORS.format(names=EXTRACTORS) + code


def test_only_the_careful_path_imports_the_extractors() -> None:
    """Outside textmend.extract nothing imports them, and there only inside functions
    (the careful path), never when a module is imported."""
    found = []
    for path in sorted((ROOT / "src" / "textmend").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top_level = {id(node) for node in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                if name.split(".")[0] in EXTRACTORS:
                    where = "module level" if id(node) in top_level else "function"
                    found.append((path.name, where))
    assert found, "the careful path imports the extractors somewhere"
    assert set(found) == {("extract.py", "function")}


def test_careful_without_its_extra_is_one_line_and_exit_2(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    done = _run(_without_extractors(CLI), "--html-reader", "careful", str(page))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(CAREFUL_LINE)
    assert done.stderr.endswith(")\n") and done.stderr.count("\n") == 1, done.stderr


def test_the_library_says_what_to_install_for_the_careful_reader() -> None:
    code = _without_extractors(
        "import textmend\n"
        "from textmend.extract import CarefulReaderMissing\n"
        "try:\n"
        "    textmend.clean_document(sys.argv[1], html_reader='careful')\n"
        "except ImportError as err:\n"
        "    assert isinstance(err, CarefulReaderMissing)\n"
        "    print(err)\n"
    )
    done = _run(code, PAGE)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        "html_reader 'careful' needs readability-lxml and trafilatura: "
        "pip install 'textmend[careful]' ("
    )


def test_the_default_reader_needs_no_extractor(tmp_path: Path) -> None:
    """The whole mission without the extra: a page and the sample cleaned, by the CLI
    and the library, with the extractors unimportable; and where they are installed,
    the default reader does not import them."""
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    done = _run(_without_extractors(CLI), str(page))
    assert (done.returncode, done.stdout, done.stderr) == (0, ARTICLE, "")
    done = _run(_without_extractors(CLI), str(SAMPLE))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == EXPECTED.read_text(encoding="utf-8")
    code = (
        "import sys, textmend\n"
        "assert textmend.clean(sys.argv[1]) == sys.argv[2]\n"
        f"print(sorted(set({EXTRACTORS!r}) & set(sys.modules)))\n"
    )
    done = _run(code, PAGE, ARTICLE)
    assert (done.returncode, done.stdout) == (0, "[]\n"), done.stderr


# --- the built package, installed as a user would -----------------------------------

OLDEST, NEWEST = "3.10", "3.13"  # requires-python and the classifiers
# What the sdist must hold for its tests to run (tests/conftest.py and what they read).
SDIST_NEEDS = (
    "LICENSE",
    "LICENSES/CC-BY-SA-4.0.txt",
    "CHANGELOG.md",
    "src/textmend/py.typed",
    "tests/conftest.py",
    "tests/cases/pipeline_cases.json",
    "samples/spam_page_zh.txt",
    "samples/spam_page_zh.expected.txt",
    "benchmarks/bench_junk.py",
    "benchmarks/reporting.py",
    "benchmarks/data/junk/fills.txt",
    "scripts/build_common_cjk.py",
)
WHEEL_NEEDS = (
    "textmend/py.typed",
    "textmend/data/charfreq/zh_hans.tsv",
    "textmend-{version}.dist-info/licenses/LICENSE",
    "textmend-{version}.dist-info/licenses/LICENSES/CC-BY-SA-4.0.txt",
)
# The project tree less what is no source (copied so that the build writes nothing here).
_NOT_SOURCE = shutil.ignore_patterns(
    ".*", "build", "dist", "out", "*.egg-info", "__pycache__", "*.pyc"
)


def _index_unreachable() -> str | None:
    """Why the package index cannot be used, or None."""
    index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple/").rstrip("/")
    try:
        with urllib.request.urlopen(
            urllib.request.Request(f"{index}/pip/", method="HEAD"), timeout=15
        ):
            return None
    except OSError as err:
        return f"the package index {index} cannot be reached ({err})"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist, and the wheel built from it (`python -m build`: the sdist first)."""
    pytest.importorskip("build", reason="`build` is not installed (pip install build)")
    why = _index_unreachable()
    if why:
        pytest.skip(f"{why}: the build needs setuptools from it, the install the dependencies")
    work = tmp_path_factory.mktemp("built")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCE)
    out = work / "dist"
    done = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return {"sdist": sdist, "wheel": wheel}


@pytest.mark.packaging
def test_the_sdist_holds_what_its_tests_read(built: dict[str, Path]) -> None:
    sdist = built["sdist"]
    top = sdist.name.removesuffix(".tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.removeprefix(f"{top}/") for name in archive.getnames()}
    assert [name for name in SDIST_NEEDS if name not in names] == []
    tests = {path.relative_to(ROOT).as_posix() for path in (ROOT / "tests").rglob("*.py")}
    assert sorted(tests - names) == []


@pytest.mark.packaging
def test_the_wheel_is_typed_and_carries_its_licences(built: dict[str, Path]) -> None:
    import textmend

    with zipfile.ZipFile(built["wheel"]) as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(f"textmend-{textmend.__version__}.dist-info/METADATA").decode()
    needed = [name.format(version=textmend.__version__) for name in WHEEL_NEEDS]
    assert [name for name in needed if name not in names] == []
    assert f"\nVersion: {textmend.__version__}\n" in metadata
    assert "\nLicense-Expression: MIT AND CC-BY-SA-4.0" in metadata
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    core = [line for line in requires if "extra ==" not in line]
    assert not any("readability" in line or "trafilatura" in line for line in core), core


def _python(version: str) -> str | None:
    """An interpreter of `version` with venv and ensurepip, or None."""
    if version == "this":
        return sys.executable
    pyenv = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates = [
        shutil.which(f"python{version}"),
        *sorted(glob.glob(f"{pyenv}/versions/{version}.*/bin/python{version}")),
        f"/usr/bin/python{version}",
    ]
    for candidate in filter(None, candidates):
        with_venv = subprocess.run(
            [candidate, "-c", "import venv, ensurepip"], capture_output=True, timeout=60
        )
        if with_venv.returncode == 0:
            return candidate
    return None


@pytest.mark.packaging
@pytest.mark.parametrize("version", ["this", OLDEST, NEWEST])
def test_the_wheel_installs_with_a_fresh_venvs_own_pip(
    built: dict[str, Path], version: str, tmp_path: Path
) -> None:
    """A fresh `python -m venv` with the pip it comes with (no upgrade), the wheel
    installed from the index, and the command run from another directory: the sample
    comes out as expected; the careful reader, not installed, says what to install."""
    python = _python(version)
    if python is None:
        pytest.skip(f"no Python {version} with venv and ensurepip here")
    if version == f"{sys.version_info.major}.{sys.version_info.minor}":
        pytest.skip(f"Python {version} is the one the tests run on (the 'this' case)")
    venv = tmp_path / "venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True, timeout=300)
    bin_dir = venv / "bin"
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    installed = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", str(built["wheel"])],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    pip = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "--version"], capture_output=True, text=True
    ).stdout.split()[:2]
    assert installed.returncode == 0, f"{' '.join(pip)}:\n{installed.stderr[-3000:]}"
    packages = json.loads(
        subprocess.run(
            [str(bin_dir / "python"), "-m", "pip", "list", "--format", "json"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout
    )
    names = {package["name"].lower() for package in packages}
    assert "textmend" in names and not names & {"readability-lxml", "trafilatura"}, names

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run(
        [str(bin_dir / "textmend"), str(SAMPLE)], capture_output=True, cwd=elsewhere, env=env
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout == EXPECTED.read_bytes()

    page = elsewhere / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    careful = subprocess.run(
        [str(bin_dir / "textmend"), "--html-reader", "careful", str(page)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=elsewhere,
        env=env,
    )
    assert (careful.returncode, careful.stdout) == (2, "")
    assert careful.stderr.startswith(CAREFUL_LINE), careful.stderr
    assert careful.stderr.count("\n") == 1, careful.stderr

    import textmend

    version_line = subprocess.run(
        [str(bin_dir / "textmend"), "--version"], capture_output=True, text=True, env=env
    ).stdout
    assert textmend.__version__ in version_line
