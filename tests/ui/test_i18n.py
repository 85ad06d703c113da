"""Translations: the .ts is complete, it compiles with the wheel's lrelease, and Thai comes back."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

import ui.i18n
from ui.i18n import (
    LanguageSwitcher,
    TranslationError,
    compile_catalog,
    fill,
    find_lrelease,
    ts_path,
)

UI_DIR = Path(ui.i18n.__file__).resolve().parent

Message = tuple[str, str, str]  # context, source, disambiguation comment


def messages(ts: Path) -> dict[Message, ET.Element]:
    """Return the messages of a .ts file by their identity."""
    found: dict[Message, ET.Element] = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            key = (name, message.findtext("source", ""), message.findtext("comment", ""))
            found[key] = message
    return found


def test_lrelease_ships_with_pyside6() -> None:
    command = find_lrelease()
    assert Path(command[0]).is_file()
    assert os.access(command[0], os.X_OK)
    assert Path(command[0]).resolve().is_relative_to(Path(PySide6.__file__).resolve().parent)


def test_thai_strings_come_back_translated(kiosk_app, qm_cache: Path) -> None:
    switcher = LanguageSwitcher(kiosk_app, cache_dir=qm_cache)
    try:
        switcher.set_language("th")
        assert switcher.language == "th"
        translate = QCoreApplication.translate
        assert translate("WelcomeScreen", "Tap to rate our service") == "แตะเพื่อประเมินความพึงพอใจ"
        assert translate("WelcomeScreen", "Happy District — Happiness can be built") == (
            "อำเภอสร้างสุข — สุข สร้าง ได้"
        )
        switcher.set_language("en")
        assert translate("WelcomeScreen", "Tap to rate our service") == "Tap to rate our service"
    finally:
        switcher.uninstall()
    assert list(qm_cache.glob("sangsuk_th-*.qm"))


def test_switcher_signals_the_new_language(qtbot, switcher: LanguageSwitcher) -> None:
    with qtbot.waitSignal(switcher.language_changed, timeout=2000) as blocker:
        switcher.toggle()
    assert blocker.args == ["en"]
    assert switcher.language == "en"
    assert switcher.other_language() == "th"


def test_switcher_rejects_an_unknown_language(switcher: LanguageSwitcher) -> None:
    with pytest.raises(ValueError, match="fr"):
        switcher.set_language("fr")
    assert switcher.language == "th"


def test_an_edited_ts_is_recompiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = tmp_path / "translations"
    sources.mkdir()
    edited = ts_path("th").read_text(encoding="utf-8")
    monkeypatch.setattr(ui.i18n, "TRANSLATIONS_DIR", sources)
    cache = tmp_path / "cache"

    (sources / "sangsuk_th.ts").write_text(edited, encoding="utf-8")
    first = compile_catalog("th", cache)
    assert compile_catalog("th", cache) == first  # unchanged .ts: the cached .qm is reused

    edited = edited.replace("ทุกข์น้อยลง สุขมากขึ้น", "ทุกข์น้อยลง สุขมากขึ้นอีก")
    (sources / "sangsuk_th.ts").write_text(edited, encoding="utf-8")
    second = compile_catalog("th", cache)
    assert second != first
    assert not first.exists()  # the stale catalogue is cleaned up
    translator = QTranslator()
    assert translator.load(str(second))
    assert translator.translate("WelcomeScreen", "Less suffering, more happiness") == (
        "ทุกข์น้อยลง สุขมากขึ้นอีก"
    )


def test_a_broken_ts_fails_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ui.i18n, "TRANSLATIONS_DIR", tmp_path)
    (tmp_path / "sangsuk_th.ts").write_text("<TS><context><name>", encoding="utf-8")
    with pytest.raises(TranslationError, match="lrelease could not compile"):
        compile_catalog("th", tmp_path / "cache")
    assert not list((tmp_path / "cache").glob("*.qm"))


def test_a_missing_ts_fails_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ui.i18n, "TRANSLATIONS_DIR", tmp_path)
    with pytest.raises(TranslationError, match="cannot be read"):
        compile_catalog("th", tmp_path / "cache")


def test_the_ts_holds_every_string_in_ui_and_translates_each(tmp_path: Path) -> None:
    committed = ts_path("th")
    fresh = tmp_path / committed.name
    shutil.copy(committed, fresh)
    lupdate = Path(find_lrelease()[0]).with_name("lupdate")
    if not lupdate.is_file():
        pytest.skip("lupdate is not next to lrelease")
    options = ["-silent", "-extensions", "py", "-locations", "none", "-no-obsolete"]
    subprocess.run(
        [str(lupdate), *options, str(UI_DIR), "-ts", str(fresh)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    in_code, in_ts = messages(fresh), messages(committed)
    assert sorted(set(in_code) - set(in_ts)) == [], (
        "strings in ui/ missing from the .ts: see ui/i18n.py for the lupdate command"
    )
    assert sorted(set(in_ts) - set(in_code)) == [], "strings in the .ts no longer in ui/"
    for key, message in in_ts.items():
        translation = message.find("translation")
        assert message.get("numerus") is None, (
            f"{key}: a trailing comma in tr() makes lupdate see a plural"
        )
        assert translation is not None
        assert translation.get("type") is None, f"{key}: translation unfinished"
        assert (translation.text or "").strip(), f"{key}: translation empty"
        placeholders = sorted(re.findall(r"%\d", key[1]))
        assert sorted(re.findall(r"%\d", translation.text or "")) == placeholders, key


def test_fill_replaces_numbered_placeholders_once() -> None:
    assert fill("อำเภอ%1 จังหวัด%2", "หัวตะพาน", "อำนาจเจริญ") == "อำเภอหัวตะพาน จังหวัดอำนาจเจริญ"
    assert fill("%2 before %1", "a", "b") == "b before a"
    assert fill("%1 and %3", "x%2") == "x%2 and %3"
