"""Benchmark poster generation: time per poster and peak memory for 1,000 posters.

Registers N complete sites in a temporary SQLite database, then makes every poster the way
``flask sites posters --all`` does (one file per site, then the zip), once per format, each
format in its own process so that its peak memory is its own.

    .venv/bin/python bench/posters.py [--count 1000] [--format pdf|png|both] [--size A4|A3]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from models import Site  # noqa: E402
from models.db import get_session  # noqa: E402
from sites.posters import poster_maker  # noqa: E402
from sites.posters.pipeline import write_posters  # noqa: E402

FACTS = {
    "address": "常州市钟楼区长江中路{n}号",
    "district": "钟楼区新闸街道",
    "builder": "常州新城置业有限公司",
    "general_contractor": "江苏华建建设集团有限公司",
    "project_department": "华建集团第{n}项目部",
    "subcontractors": "常州恒力劳务有限公司（木工、钢筋）；江苏远大幕墙工程有限公司（幕墙）",
    "authority": "常州市钟楼区住房和城乡建设局",
    "labour_manager": "王建国",
    "labour_manager_phone": "139-1234-5678",
    "minimum_wage": "2490元/月；22元/小时",
    "pay_day": "每月15日前足额支付上月工资",
    "inspection_phone": "0519-85681234",
    "mediation": "钟楼区劳动人事争议仲裁院（广化街1号），电话0519-86660000",
    "legal_aid": "钟楼区法律援助中心（星港路65号），电话0519-86880000",
}


def main() -> None:
    """Run one format here, or each format in a child process, and print the figures."""
    args = _arguments()
    if args.format == "both":
        for fmt in ("pdf", "png"):
            command = [sys.executable, __file__, "--count", str(args.count), "--size", args.size]
            subprocess.run([*command, "--format", fmt], check=True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        _run(Path(tmp), args.count, args.format, args.size)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="number of sites and posters")
    parser.add_argument("--format", choices=["pdf", "png", "both"], default="both")
    parser.add_argument("--size", choices=["A4", "A3"], default="A4")
    return parser.parse_args()


def _run(tmp: Path, count: int, fmt: str, size: str) -> None:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite'}"})
    with app.app_context():
        upgrade()
        session = get_session()
        for n in range(1, count + 1):
            facts = {key: value.format(n=n) for key, value in FACTS.items()}
            session.add(Site(code=f"BENCH-{n:05d}", name=f"钟楼区第{n}号住宅项目", **facts))
        session.commit()
        sites = session.scalars(select(Site).order_by(Site.code)).all()
        maker = poster_maker(app, session, choice=False)  # landing-page links
        before = _peak_rss_mb()
        started = time.perf_counter()
        report = write_posters(sites, tmp / "out", maker, size=size, fmt=f".{fmt}")
        elapsed = time.perf_counter() - started
    assert len(report.written) == count and report.archive is not None, report.refused
    total_mb = sum(p.stat().st_size for p in report.written.values()) / 2**20
    print(
        f"{fmt.upper()} {size}: {count} posters in {elapsed:.1f} s, "
        f"{elapsed / count * 1000:.0f} ms per poster (zip included); "
        f"peak RSS {_peak_rss_mb():.0f} MB (before the run {before:.0f} MB); "
        f"{total_mb / count * 1024:.0f} KB per file"
    )


def _peak_rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
