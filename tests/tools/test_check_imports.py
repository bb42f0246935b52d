"""The import graph stays acyclic and integrations/ stays free of the app (tools/check_imports.py)."""
import textwrap

from tools import check_imports


def _tree(tmp_path, files: dict[str, str]):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return tmp_path


def test_the_project_has_no_cycles_and_integrations_import_nothing_from_bot():
    assert check_imports.problems() == []


def test_a_cycle_through_a_lazy_import_is_found(tmp_path):
    root = _tree(tmp_path, {
        "bot/__init__.py": "", "bot/a.py": "from .b import x\n",
        "bot/b.py": "def f():\n    from . import a\n", "bot/c.py": "from bot import a\n"})
    assert check_imports.problems(root) == ["import cycle: bot.a <-> bot.b"]


def test_integrations_importing_bot_is_refused(tmp_path):
    root = _tree(tmp_path, {"bot/__init__.py": "", "bot/models.py": "", "integrations/__init__.py": "",
                            "integrations/shop.py": "from bot.models import Order\n"})
    assert check_imports.problems(root) == ["integrations.shop imports bot.models"]


def test_type_checking_imports_do_not_count_and_missing_modules_do(tmp_path):
    root = _tree(tmp_path, {
        "bot/__init__.py": "", "bot/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import B\n",
        "bot/b.py": "from .a import A\nfrom .gone import C\n"})
    assert check_imports.problems(root) == ["bot.b imports bot.gone, which does not exist"]


def test_only_bot_wechat_calls_wechats_send_api():
    """Every proactive message goes through bot/wechat/outbound.py (grep, as the issue asks)."""
    root = check_imports.ROOT
    callers = sorted(str(path.relative_to(root)) for package in ("bot", "integrations")
                     for path in (root / package).rglob("*.py")
                     if any(call in path.read_text(encoding="utf-8") for call in (".send_text(", ".send_template("))
                     and not path.relative_to(root).parts[:2] == ("bot", "wechat"))
    assert callers == []
