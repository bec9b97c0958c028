"""The cache keys' library versions, read from dist-info folder names, agree with importlib.metadata."""

from importlib import metadata

import pytest

from factpress.fingerprints import LIBRARIES
from factpress.versions import normalised, version


@pytest.mark.parametrize("name", [*LIBRARIES, "PyYAML", "MarkupSafe", "rapidfuzz", "markdown_it_py"])
def test_version_agrees_with_importlib_metadata(name: str) -> None:
    assert version(name) == metadata.version(name)


def test_a_library_not_installed_has_no_version() -> None:
    assert version("no-such-library-factpress-test") is None


def test_names_are_normalised_as_dist_info_folders_write_them() -> None:
    assert normalised("Markdown-It.py") == normalised("markdown_it__py") == "markdown_it_py"
