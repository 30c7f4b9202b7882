"""Locating a JSON path's line in the text (used by the importer's error messages)."""

from habeas.cases.json_lines import format_path, line_of

TEXT = """{
  "a": {"x": 1, "y": [10,
                      20, {"z": "deep"}]},
  "b": [
    {"k": 1},
    {"k": 2,
     "m": {"n": null}}
  ],
  "dup": 1,
  "dup": 2
}"""


def test_nested_values():
    assert line_of(TEXT, ["a"]) == 2
    assert line_of(TEXT, ["a", "y", 0]) == 2
    assert line_of(TEXT, ["a", "y", 1]) == 3
    assert line_of(TEXT, ["a", "y", 2, "z"]) == 3
    assert line_of(TEXT, ["b", 1]) == 6
    assert line_of(TEXT, ["b", 1, "m", "n"]) == 7


def test_missing_steps_stop_at_deepest_existing_value():
    assert line_of(TEXT, ["b", 1, "missing"]) == 6
    assert line_of(TEXT, ["b", 9]) == 4
    assert line_of(TEXT, []) == 1


def test_duplicate_key_last_wins_like_json_loads():
    assert line_of(TEXT, ["dup"]) == 10


def test_format_path():
    assert format_path(["evidence_items", 3, "custody", 0, "seal_condition"]) == \
        "evidence_items[3].custody[0].seal_condition"
    assert format_path([]) == "(top level)"
