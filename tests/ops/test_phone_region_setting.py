"""PHONE_REGION: checked against libphonenumber's regions, one clear error when unknown."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings


@pytest.mark.parametrize(("given", "kept"), [(" gb ", "GB"), ("us", "US"), ("US", "US")])
def test_known_regions_are_normalised(given: str, kept: str) -> None:
    assert load_settings(phone_region=given).phone_region == kept


@pytest.mark.parametrize("bad", ["XX", "UK", "England"])
def test_an_unknown_region_is_one_clear_error(bad: str) -> None:
    with pytest.raises(SettingsError, match=r"PHONE_REGION: .*unknown region"):
        load_settings(phone_region=bad)
