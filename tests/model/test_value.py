"""planlint.value.NamedTuple behaves as typing.NamedTuple does for the classes planlint writes."""

from __future__ import annotations

import pickle
import typing

import pytest

from planlint.value import NamedTuple


def _point_class(base: type) -> type:
    class Point(base):  # type: ignore[misc,valid-type]
        """A point with a label."""

        x: int
        y: int
        label: str = ""
        tags: tuple[str, ...] = ()

        @property
        def norm(self) -> int:
            return abs(self.x) + abs(self.y)

        @classmethod
        def origin(cls) -> Point:
            return cls(0, 0, "origin")

        def __str__(self) -> str:
            return f"{self.label}({self.x}, {self.y})"

    return Point


OURS = _point_class(NamedTuple)
TYPINGS = _point_class(typing.NamedTuple)


@pytest.mark.parametrize("cls", [OURS, TYPINGS], ids=["planlint", "typing"])
def test_behaves_like_a_typing_named_tuple(cls: type) -> None:
    point = cls(3, -4, "p")
    assert point == (3, -4, "p", ())
    assert point.x == 3 and point.tags == ()
    assert cls(1, 2) == cls(x=1, y=2, label="")
    assert point.norm == 7
    assert str(point) == "p(3, -4)"
    assert repr(point) == "Point(x=3, y=-4, label='p', tags=())"
    assert cls.origin() == cls(0, 0, "origin")
    assert point._replace(label="q").label == "q"
    assert cls._fields == ("x", "y", "label", "tags")
    assert cls.__doc__ == "A point with a label."
    assert list(cls.__annotations__) == ["x", "y", "label", "tags"]
    assert cls.__qualname__.endswith("Point")
    assert sorted([cls(2, 0), cls(1, 5)]) == [cls(1, 5), cls(2, 0)]
    assert hash(cls(1, 2)) == hash(cls(1, 2))
    with pytest.raises(AttributeError):
        point.x = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        cls()


def test_same_class_shape_as_typing() -> None:
    public = {name for name in vars(TYPINGS) if not name.startswith("__")}
    assert public <= set(vars(OURS)) | {"_field_defaults"}
    assert OURS._field_defaults == TYPINGS._field_defaults == {"label": "", "tags": ()}


def test_a_field_without_default_after_one_with_default_is_an_error() -> None:
    with pytest.raises(TypeError, match="non-default field 'y' follows a default field"):

        class Bad(NamedTuple):
            x: int = 0
            y: int


def test_model_value_objects_pickle() -> None:
    from pathlib import Path

    from planlint.model import Span, TaskId

    span = Span(Path("plan.md"), 3, 9)
    assert pickle.loads(pickle.dumps(span)) == span
    assert pickle.loads(pickle.dumps(TaskId((1, 2)))) == TaskId((1, 2))
