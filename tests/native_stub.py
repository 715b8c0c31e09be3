"""Writes the model part of ``python/photospicker/_native.pyi`` from the Rust
model itself (``_native.model_fields()``: every ``value!`` struct's fields
and Rust types), so a field added to the Rust model reaches the stubs with
no hand edit:

    python tests/native_stub.py --write   # after changing crates/photospicker/src/model.rs

``test_the_stub_lists_every_field_of_the_rust_model`` fails while the stub is stale.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

STUB = Path(__file__).resolve().parent.parent / "python" / "photospicker" / "_native.pyi"
BEGIN = "# BEGIN GENERATED MODEL (tests/native_stub.py --write; do not edit)\n"
END = "# END GENERATED MODEL\n"

SCALARS = {"String": "str", "bool": "bool", "f64": "float", "i32": "int", "i64": "int", "u32": "int", "u64": "int", "usize": "int",
           "Duration": "timedelta", "DateTime<Utc>": "datetime"}

# Python-only members (hand-written in crates/photospicker/src/python.rs).
EXTRAS = {
    "PickingSession": [
        "    @property\n    def picker_uri_autoclose(self) -> str: ...",
        '    @property\n    @deprecated("use max_item_count")\n    def picking_config(self) -> Optional[PickingConfig]: ...',
    ],
    "PickedMediaItem": ["    @property\n    def video_not_ready(self) -> bool: ..."],
}


def python_type(rust: str) -> str:
    rust = re.sub(r"\s+", "", rust)
    optional = re.fullmatch(r"Option<(.+)>", rust)
    if optional:
        return f"Optional[{python_type(optional.group(1))}]"
    return SCALARS.get(rust, rust)


def model_stub() -> str:
    from photospicker import _native

    renamed = _native.MODEL_RENAMED
    out = [BEGIN, f"__all__ = {list(_native.__all__)!r}\n\n"]
    for class_name, fields in _native.model_fields():
        types = dict((name, python_type(rust)) for name, rust in fields)
        out.append("@final\nclass " + class_name + ":\n")
        out.append(f"    __match_args__ = ({''.join(repr(name) + ', ' for name, _ in fields).rstrip()})\n")
        params = "".join(f", {name}: {types[name]} = ..." for name, _ in fields)
        out.append(f"    def __new__(cls{params}) -> Self: ...\n")
        for name, _ in fields:
            out.append(f"    @property\n    def {name}(self) -> {types[name]}: ...\n")
        for owner, old, new in renamed:
            if owner == class_name:
                out.append(f'    @property\n    @deprecated("use {new}")\n    def {old}(self) -> {types[new]}: ...\n')
        for extra in EXTRAS.get(class_name, []):
            out.append(extra + "\n")
        out.append(
            "    def to_json(self) -> str: ...\n"
            "    def to_dict(self) -> dict[str, Any]: ...\n"
            "    @classmethod\n    def from_json(cls, text: Union[str, bytes]) -> Self: ...\n"
            "    @classmethod\n    def from_dict(cls, data: dict[str, Any]) -> Self: ...\n"
            f"    def replace(self, *{params}) -> Self: ...\n"
            f"    def __replace__(self, *{params}) -> Self: ...\n"
            "    def __copy__(self) -> Self: ...\n"
            "    def __deepcopy__(self, memo: Any) -> Self: ...\n"
            "    def __reduce__(self) -> tuple[builtins.type[Self], tuple[Any, ...]]: ...\n"
            "    def __hash__(self) -> int: ...\n"
            "    def __eq__(self, other: object, /) -> bool: ...\n\n"
        )
    out.append(END)
    return "".join(out)


def refreshed(stub: str) -> str:
    before, rest = stub.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    return before + model_stub() + after


def main() -> int:
    stub = STUB.read_text()
    expected = refreshed(stub)
    if "--write" in sys.argv:
        STUB.write_text(expected)
        return 0
    if stub != expected:
        print(f"{STUB} is stale: run python tests/native_stub.py --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
