"""massline.core must stay framework-free: the web app, the workers and the CLI share it."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent


def test_no_module_in_core_imports_django():
    offenders = []
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "django" or n.startswith("django.") or n.startswith("ninja") for n in names):
                offenders.append(f"{path.relative_to(CORE)}:{node.lineno}")
            # massline.shared_data is framework-free (paths to ../shared/data); tests may drive the CLI.
            allowed = ("massline.core", "massline.shared_data") + (("massline.cli",) if "tests" in path.parts else ())
            if any(n.startswith("massline.") and not n.startswith(allowed) for n in names):
                offenders.append(f"{path.relative_to(CORE)}:{node.lineno} imports {names}")
    assert not offenders, f"massline.core must not import Django or the apps: {offenders}"


def test_core_imports_without_django_installed_in_sys_modules():
    import subprocess
    import sys

    code = (
        "import sys, importlib, pkgutil, massline.core as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'massline.core.'):\n"
        "    if '.tests' in m.name: continue\n"
        "    importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"importing massline.core pulled in Django: {out.stdout}"
