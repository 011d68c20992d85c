"""`NamedTuple` for planlint's value objects, cheaper to define than typing's.

To a type checker this is `typing.NamedTuple`. At run time a class written the same way becomes
a `collections.namedtuple` with the class body's methods, properties and docstring, without the
work typing adds per class: it compiles every string annotation into a ForwardRef (all of ours
are strings, under `from __future__ import annotations`) and rebuilds the class's bases. That is
about 45 us a class; a check defines some forty before it reads a plan, and its startup has a
target (benchmarks/README.md). What typing checks at definition time is kept: a field without a
default may not follow one with a default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    from collections import namedtuple

    # What the class statement puts in a namespace that is not the class's own to copy.
    _NOT_COPIED = frozenset({"__module__", "__qualname__", "__annotations__", "__doc__", "__classcell__"})

    class _NamedTupleMeta(type):
        def __new__(mcs, typename, bases, namespace):
            if not bases:  # NamedTuple itself
                return super().__new__(mcs, typename, bases, namespace)
            fields = dict(namespace.get("__annotations__", {}))
            defaults = []
            for name in fields:
                if name in namespace:
                    defaults.append(namespace[name])
                elif defaults:
                    raise TypeError(f"non-default field {name!r} follows a default field in {typename}")
            cls = namedtuple(typename, fields, defaults=defaults, module=namespace["__module__"])
            for key, value in namespace.items():
                if key not in _NOT_COPIED and key not in fields:
                    setattr(cls, key, value)
            cls.__qualname__ = namespace["__qualname__"]
            cls.__annotations__ = fields
            if "__doc__" in namespace:
                cls.__doc__ = namespace["__doc__"]
            return cls

    class NamedTuple(metaclass=_NamedTupleMeta):
        """Subclass it as you would typing.NamedTuple."""
