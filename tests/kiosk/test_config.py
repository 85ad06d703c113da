"""Kiosk settings: demo defaults, atomic saves, clear errors for a bad file."""

import pytest

from kiosk.config import DEMO_DISTRICT, ConfigError, KioskConfig, load_config, place_of, save_config


def test_a_new_kiosk_runs_the_demo_district(tmp_path):
    config = load_config(tmp_path)
    assert config.demo
    assert config.district == DEMO_DISTRICT
    place = place_of(config.district)
    assert (place.district_th, place.province_th) == ("หัวตะพาน", "อำนาจเจริญ")
    assert (place.district_en, place.province_en) == ("Hua Taphan", "Amnat Charoen")


def test_settings_survive_a_save_and_load(tmp_path):
    save_config(tmp_path, KioskConfig(district="4712", demo=False, default_language="en"))
    assert load_config(tmp_path) == KioskConfig(district="4712", demo=False, default_language="en")
    save_config(tmp_path, KioskConfig(clerk_language="en"))
    assert load_config(tmp_path).clerk_language == "en"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ('{"district": "9999"}', "district"),
        ('{"default_language": "fr"}', "default_language"),
        ('{"clerk_language": "fr"}', "clerk_language"),
        (b"\xff\xfe".decode("latin-1"), "cannot be read"),
    ],
)
def test_a_bad_settings_file_is_a_clear_error_and_left_alone(tmp_path, content, message):
    path = tmp_path / "config.json"
    path.write_bytes(content.encode("latin-1") if message == "cannot be read" else content.encode())
    before = path.read_bytes()
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path)
    assert path.read_bytes() == before


def test_a_small_order_collector_key_cannot_be_pinned():
    with pytest.raises(ConfigError, match="collector_key"):
        KioskConfig(collector_key="01" + "00" * 31)
