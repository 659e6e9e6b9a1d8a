"""Every public name of cnnlab has a docstring: modules, functions, classes and their methods.

Public: a module not starting with "_", and in it a function or class defined
there (not imported) whose name does not start with "_"; for a class, each
public method it defines itself.
"""

import importlib
import inspect
import pkgutil

import cnnlab

SKIP_MODULES = {"cnnlab.__main__"}


def public_modules():
    yield cnnlab
    for info in pkgutil.walk_packages(cnnlab.__path__, "cnnlab."):
        parts = info.name.split(".")
        if any(part.startswith("_") for part in parts) or info.name in SKIP_MODULES:
            continue
        yield importlib.import_module(info.name)


def public_names():
    for module in public_modules():
        yield module.__name__, module
        for name, value in vars(module).items():
            if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
                continue
            if not (inspect.isfunction(value) or inspect.isclass(value)):
                continue
            yield f"{module.__name__}.{name}", value
            if inspect.isclass(value):
                for method_name, method in vars(value).items():
                    if method_name.startswith("_") or not inspect.isfunction(method):
                        continue
                    yield f"{module.__name__}.{name}.{method_name}", method


def test_every_public_name_has_a_docstring():
    names = list(public_names())
    assert len(names) > 300
    missing = [name for name, value in names if not (inspect.getdoc(value) or "").strip()]
    assert not missing, f"{len(missing)} public names without a docstring: {missing}"


def test_the_lecture_names_say_where_they_differ_from_the_notes():
    lecture = [name for name in cnnlab.__all__ if name not in ("load", "gradcheck")]
    assert len(lecture) == 16
    for name in lecture:
        assert "notes" in inspect.getdoc(getattr(cnnlab, name)), name
