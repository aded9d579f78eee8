"""lindung.domain is pure Python: the standard library and itself, nothing else (architecture.md §3.1).

Modules are discovered, not listed, so a module added later is checked without touching this file.
"""

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import lindung.domain

DOMAIN = Path(lindung.domain.__file__).resolve().parent
REPO = DOMAIN.parent.parent
ALLOWED_TOP_LEVEL = set(sys.stdlib_module_names)


def _source_files() -> list[Path]:
    return sorted(p for p in DOMAIN.rglob("*.py") if "tests" not in p.relative_to(DOMAIN).parts)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_names(path: Path) -> list[str]:
    """Absolute names of everything `path` imports; relative imports resolved against its package."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                names.append(node.module)
            else:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                names.append(f"{base}.{node.module}" if node.module else base)
    return names


def _is_allowed(name: str) -> bool:
    return name.split(".")[0] in ALLOWED_TOP_LEVEL or name == "lindung.domain" or name.startswith("lindung.domain.")


def _domain_modules() -> list[str]:
    found = pkgutil.walk_packages(lindung.domain.__path__, prefix="lindung.domain.")
    return sorted(m.name for m in found if not m.name.startswith("lindung.domain.tests"))


def test_it_finds_the_domain_modules():
    modules = _domain_modules()
    assert {"lindung.domain.nik", "lindung.domain.wilayah", "lindung.domain.problems"} <= set(modules)
    assert any(p.name == "build_wilayah.py" for p in _source_files())  # data/ scripts are scanned too


def test_it_imports_only_the_standard_library_and_itself():
    bad = [
        f"{path.relative_to(REPO)}: {name}"
        for path in _source_files()
        for name in _imported_names(path)
        if not _is_allowed(name)
    ]
    assert bad == []


def test_it_loads_no_django_and_no_third_party_module_at_import():
    modules = _domain_modules()
    # A fresh interpreter: this test process may already have Django loaded by other tests.
    # Modules loaded before ours (site hooks, .pth files) are not the domain's doing, so only
    # the ones that appear during the imports are checked.
    script = (
        "import json, sys\n"
        "before = set(sys.modules)\n"
        f"for name in {modules!r}:\n"
        "    __import__(name)\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    loaded = json.loads(completed.stdout)
    assert [m for m in loaded if m.startswith("django")] == []
    assert [m for m in loaded if not _is_allowed(m) and m.split(".")[0] != "lindung"] == []
    assert "lindung.domain.nik" in loaded
