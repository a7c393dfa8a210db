"""The installed wheel as PyPI shows it: its version, licences and metadata."""

import importlib.metadata
import re
from pathlib import Path

import waonboard

ROOT = Path(__file__).resolve().parents[2]


def workspace_version() -> str:
    text = (ROOT / "Cargo.toml").read_text()
    section = text.split("[workspace.package]", 1)[1]
    match = re.search(r'^version = "([^"]+)"', section, re.MULTILINE)
    assert match, "no version in [workspace.package]"
    return match.group(1)


def test_version_is_the_wheels_and_the_crates() -> None:
    assert waonboard.__version__ == importlib.metadata.version("waonboard")
    assert waonboard.__version__ == workspace_version()


def test_the_wheel_carries_both_licences_verbatim() -> None:
    dist = importlib.metadata.distribution("waonboard")
    assert dist.metadata["License-Expression"] == "MIT OR Apache-2.0"
    assert sorted(dist.metadata.get_all("License-File") or []) == ["LICENSE-APACHE", "LICENSE-MIT"]
    shipped = {Path(str(f)).name: f for f in dist.files or [] if ".dist-info/licenses/" in str(f)}
    for name in ("LICENSE-MIT", "LICENSE-APACHE"):
        assert name in shipped, f"{name} is not in the wheel"
        assert shipped[name].read_text() == (ROOT / name).read_text()


def test_the_metadata_says_where_to_read_and_report() -> None:
    meta = importlib.metadata.metadata("waonboard")
    urls = dict(url.split(", ", 1) for url in meta.get_all("Project-URL") or [])
    assert set(urls) >= {"Homepage", "Documentation", "Repository", "Issues", "Changelog"}
    assert all(url.startswith("https://") for url in urls.values())
    classifiers = meta.get_all("Classifier") or []
    assert "Typing :: Typed" in classifiers
    assert "Programming Language :: Python :: 3 :: Only" in classifiers
    assert "Development Status :: 3 - Alpha" in classifiers
    assert meta["Description-Content-Type"].startswith("text/markdown")
    # The README is the long description PyPI renders.
    readme = (ROOT / "python" / "README.md").read_text()
    assert readme.splitlines()[0] in (importlib.metadata.distribution("waonboard").read_text("METADATA") or "")
