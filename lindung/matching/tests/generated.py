"""Lists from the benchmark generator (bench/matching/generate.py) for tests that need realistic mess."""

import importlib.util
import sys
from pathlib import Path

import pytest

GENERATOR = Path(__file__).resolve().parents[3] / "bench" / "matching" / "generate.py"


def generated_lists(out: Path, *, seed: int, candidates: int, registry: int) -> Path:
    """kandidat.parquet and registri.parquet (with truth files) in `out`; skips when the bench kit is
    not next to the package (an installed wheel)."""
    if not GENERATOR.exists():
        pytest.skip("bench/matching is not next to the package")
    sys.path.insert(0, str(GENERATOR.parent))  # generate.py imports pools.py next to it
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    generate = sys.modules["bench_generate"] = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(generate)
        generate.generate(seed, candidates, registry, out, None)
    finally:
        sys.path.remove(str(GENERATOR.parent))
        del sys.modules["bench_generate"]
    return out
