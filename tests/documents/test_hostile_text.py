"""Issue text that tries to make the PDF renderer fetch or embed something is printed as text."""

import pytest

from rakortek.documents.catalog import SPECS
from rakortek.documents.rendering import RenderOptions
from tests.documents.conftest import decided_issue, pdf_reader, pdf_text

pytestmark = pytest.mark.django_db

IMG = '<img src="file:///etc/passwd">'
LINK = '<link rel="stylesheet" href="http://127.0.0.1/">'
CSS = "<style>body { background: url(http://169.254.169.254/latest/meta-data/) }</style>"
CSS_INLINE = '<p style="background-image: url(file:///etc/hostname)">x</p>'


@pytest.fixture
def hostile_desk(monday_meeting, desk_bina_marga):
    decided_issue(
        desk_bina_marga,
        "bangka",
        title=IMG,
        place=LINK,
        proposed_handling=CSS,
        rank=1,
        decision="cadangan",
        reason=CSS_INLINE,
    )
    return desk_bina_marga


@pytest.mark.parametrize("key", ["prioritas", "rekapitulasi"])
def test_hostile_issue_text_fetches_and_embeds_nothing(monday_meeting, hostile_desk, key):
    desk = hostile_desk if key == "prioritas" else None
    output = SPECS[key].render(monday_meeting, desk, RenderOptions.create())
    assert output.refused_urls == []
    # Narrow table cells wrap long words anywhere: compare without white space.
    text = "".join(pdf_text(output.content).split())
    assert "".join(IMG.split()) in text
    assert "http://127.0.0.1/" in text
    assert "url(file:///etc/hostname)" in text
    assert "root:" not in text
    # No emblem is set, so any picture would have come from the text.
    assert all(len(page.images) == 0 for page in pdf_reader(output.content).pages)
    if key == "rekapitulasi":
        assert "169.254.169.254" in text
