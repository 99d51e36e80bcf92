"""Argument registry: every module here defines ARGUMENT; the classifier tries them in `order` per kind."""
import importlib
import pkgutil

from symbolic.arguments.base import Argument


def all_arguments(kind: str) -> list:
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        argument = getattr(module, "ARGUMENT", None)
        if isinstance(argument, Argument) and argument.kind == kind:
            found.append(argument)
    return sorted(found, key=lambda a: (a.order, a.id))
