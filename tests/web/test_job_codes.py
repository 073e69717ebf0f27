"""`[web] public_url` is the address every job QR carries (slips here; the poster in test_web_browser.py), the kiosk's
scanner reads those codes and the ones printed under the older `[shop] job_url`, and a file from before `[web]`
keeps printing the address it had."""

from __future__ import annotations

from pathlib import Path

from kiosk.config import load_settings
from kiosk.domain.scan import classify
from kiosk.printouts.document import QR
from kiosk.printouts.job_slips import job_slip
from tests.web.conftest import Web


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_slips_carry_the_public_url_and_the_scanner_reads_it_and_the_old_address(tmp_path: Path, web: Web) -> None:
    settings = load_settings(
        _config(
            tmp_path,
            '[shop]\njob_url = "https://example.org/hedemarken/job/"\n'
            '[web]\npublic_url = "https://smaajobs.hedemarken.dk/"\n',
        )
    )
    job = web.job()
    assert settings.job_url == "https://smaajobs.hedemarken.dk/job/"
    slip = job_slip(job, settings.shop, settings.job_url)
    printed = [el.data for el in slip.elements if isinstance(el, QR)]
    assert printed == [f"https://smaajobs.hedemarken.dk/job/{job.qr_token}"]
    assert "Scan med din telefon – eller ved kiosken" in " ".join(slip.as_text(32).split())
    for code in (printed[0], f"https://example.org/hedemarken/job/{job.qr_token}", f"HK1:J:{job.qr_token}"):
        found = classify(code, settings.job_urls)
        assert (found.kind, found.value) == ("job", job.qr_token), code
    assert classify(f"https://elsewhere.example/job/{job.qr_token}", settings.job_urls).kind == "garbage"


def test_a_config_from_before_web_keeps_its_job_address(tmp_path: Path) -> None:
    settings = load_settings(_config(tmp_path, '[shop]\njob_url = "https://aeblehaven.example.dk/job/"\n'))
    assert settings.job_url == "https://aeblehaven.example.dk/job/"
    assert settings.web.public_url == "https://aeblehaven.example.dk/"
    assert load_settings(_config(tmp_path, "")).job_url == "https://example.org/hedemarken/job/"
