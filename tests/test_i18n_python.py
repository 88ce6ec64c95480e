"""Every sentence a person reads that Python code hands over is marked for translation.

The checker parses each module of ``community``, ``purpose`` and ``partners`` with ``ast``
and looks at the calls whose words reach a page, a form or an email:

* ``messages.success/error/info/warning/add_message(request, ...)`` (the flash message);
* ``ValidationError(...)`` (Django's and DRF's: the form or API error);
* ``Http404(...)`` and ``PermissionDenied(...)`` (``403.html`` shows the reason), and DRF's
  ``AuthenticationFailed`` / ``NotAuthenticated`` (the API's problem detail);
* ``permissions.require(allowed, ...)`` (the 403 reason);
* ``label=``, ``help_text=`` and ``verbose_name=`` of any field (form, model, serializer,
  filter), the words given first to a model field (its verbose name, a form label), the
  values of ``error_messages={...}``, ``form.add_error(field, ...)`` and the message of a
  ``...Validator(regex, message)``, and the labels of a field's ``choices=[(value, label)]``;
* the labels of ``TextChoices`` / ``IntegerChoices`` members.

Given a plain string, an f-string, or a string glued or formatted (``"..." + x``,
``"..." % x``, ``"...".format()``), the call fails the test, naming the file and line; a
call to ``gettext`` / ``gettext_lazy`` / ``ngettext`` / ``pgettext`` (or ``_``) passes, as
does a name or an attribute (a constant marked where it is defined is checked there only if
it is one of the listed calls). Log lines, exception texts for operators and management
command output are not among these calls and stay English.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("community", "purpose", "partners")
# Output read by operators only (command output), and the tree of migrations (frozen).
SKIPPED_DIRS = ("migrations", "management")

# Single strings not marked yet in files others are changing; each is taken off as it is
# marked (the test fails for a listed string that is marked or gone).
PENDING = {
    ("community/models/users.py", "Use 3 to 30 letters, digits or underscores (this is your "
                                  "@handle)."),
    ("community/models/users.py", "That handle is taken; please pick another."),
}

MARKERS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext",
           "pgettext_lazy", "npgettext", "npgettext_lazy", "gettext_noop"}
MESSAGE_LEVELS = {"success", "error", "info", "warning", "debug", "add_message"}
RAISED = {"ValidationError", "Http404", "PermissionDenied", "AuthenticationFailed",
          "NotAuthenticated"}
SHOWN_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}
# Fields and filters of forms, models and serializers (``ForeignKey`` too); a chart's
# ``label=`` is a column name, not words.
FIELD_SUFFIXES = ("Field", "Filter", "ForeignKey")
CHOICES_BASES = {"TextChoices", "IntegerChoices", "Choices"}


def _name(node: ast.AST) -> str:
    """The last name of a called thing: ``messages.error`` -> ``error``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _owner(node: ast.AST) -> str:
    """``messages`` for ``messages.error``; empty for a bare name."""
    if isinstance(node, ast.Attribute):
        return _name(node.value)
    return ""


def _unmarked(node: ast.AST | None) -> bool:
    """A string a person would read that no gettext call wraps."""
    if node is None:
        return False
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        # ``f"{sentence} {advice}"`` joins marked sentences; words in it are not marked.
        return any(_unmarked(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        # ``_("...") % {...}`` is marked; ``"..." % x`` and ``"..." + x`` are not.
        return _unmarked(node.left) or (isinstance(node.op, ast.Add) and _unmarked(node.right))
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            return _unmarked(node.func.value)
        return False
    if isinstance(node, ast.IfExp):
        return _unmarked(node.body) or _unmarked(node.orelse)
    return False


def _argument(call: ast.Call, position: int, keyword: str) -> ast.AST | None:
    if len(call.args) > position and not isinstance(call.args[position], ast.Starred):
        return call.args[position]
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return None


def _is_field(call: ast.Call) -> bool:
    """``models.CharField(...)``, ``forms.ChoiceField(...)``, ``ForeignKey(...)``: a model
    field's first words are its verbose name (shown as the form label)."""
    name = _name(call.func)
    return (_owner(call.func) == "models" and (name.endswith("Field") or name in {
        "ForeignKey", "OneToOneField", "ManyToManyField"}))


def unmarked_nodes(tree: ast.AST):
    """(node, call name) for each listed call given an unmarked string."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name, owner = _name(node.func), _owner(node.func)
            shown = []
            if owner == "messages" and name in MESSAGE_LEVELS:
                shown.append(_argument(node, 2 if name == "add_message" else 1, "message"))
            elif name in RAISED:
                shown.append(_argument(node, 0, "message" if name == "ValidationError"
                                       else "__none__"))
            elif name == "require" and owner in {"permissions", ""}:
                shown.append(_argument(node, 1, "message"))
            elif name == "add_error":
                shown.append(_argument(node, 1, "error"))
            elif name.endswith("Validator"):
                shown.append(_argument(node, 1, "message"))
            for kw in node.keywords:
                if kw.arg == "error_messages" and isinstance(kw.value, ast.Dict):
                    shown.extend(kw.value.values)
            if _is_field(node) and name not in {"ForeignKey", "OneToOneField",
                                                  "ManyToManyField"}:
                shown.append(_argument(node, 0, "__none__"))
            if _name(node.func).endswith(FIELD_SUFFIXES):
                shown.extend(kw.value for kw in node.keywords if kw.arg in SHOWN_KEYWORDS)
                for kw in node.keywords:
                    if kw.arg == "choices" and isinstance(kw.value, ast.List | ast.Tuple):
                        shown.extend(pair.elts[-1] for pair in kw.value.elts
                                     if isinstance(pair, ast.Tuple) and len(pair.elts) == 2)
            for value in shown:
                if _unmarked(value):
                    yield value, name
        elif isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Attribute) and target.attr in SHOWN_KEYWORDS
                for target in node.targets):
            # ``self.fields["photo"].label = "Photo"``
            if _unmarked(node.value):
                yield node.value, "label"
        elif isinstance(node, ast.ClassDef) and any(
                _name(base) in CHOICES_BASES for base in node.bases):
            for statement in node.body:
                if isinstance(statement, ast.Assign) and isinstance(
                        statement.value, ast.Tuple) and len(statement.value.elts) >= 2:
                    label = statement.value.elts[-1]
                    if _unmarked(label):
                        yield label, f"{node.name} label"


def unmarked_in(source: str, filename: str = "<source>") -> list[str]:
    """``file:line: call: words`` for each listed call given an unmarked string (the
    ``PENDING`` ones left out)."""
    return [f"{filename}:{node.lineno}: {what}: {ast.unparse(node)[:80]}"
            for node, what in unmarked_nodes(ast.parse(source, filename))
            if (filename, getattr(node, "value", None)) not in PENDING]


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if not any(part in SKIPPED_DIRS for part in relative.parts):
                yield relative.as_posix(), path


def test_python_strings_people_read_are_marked():
    problems = []
    for name, path in _modules():
        problems.extend(unmarked_in(path.read_text(), name))
    assert not problems, "Unmarked strings a person reads:\n" + "\n".join(problems)


@pytest.mark.parametrize("name,text", sorted(PENDING))
def test_pending_list_only_shrinks(name, text):
    tree = ast.parse((ROOT / name).read_text(), name)
    assert any(getattr(node, "value", None) == text for node, _ in unmarked_nodes(tree)), (
        f"{text!r} in {name} is marked now (or gone): take it off PENDING")


PLANTED = '''
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _, gettext_lazy
from community import permissions


class Kind(models.TextChoices):
    PLAIN = "plain", "Plain words"
    MARKED = "marked", gettext_lazy("Marked words")


class Thing(models.Model):
    size = models.IntegerField("size of it", help_text="How big.")
    name = models.CharField(gettext_lazy("name"), max_length=9,
                            help_text=gettext_lazy("What it is called."))


class ThingForm(forms.Form):
    title = forms.CharField(label="Title", error_messages={"required": "Give a title."})
    size = forms.ChoiceField(choices=[("s", "Small"), ("l", gettext_lazy("Large"))])
    code = forms.CharField(validators=[RegexValidator(r"^[a-z]+$", "Letters only.")])

    def __init__(self):
        self.fields["title"].help_text = "Plain help."
        self.fields["note"].help_text = _("Marked help.")
        self.add_error("title", "Not that title.")
    note = forms.CharField(label=gettext_lazy("Note"))


def view(request, n):
    messages.success(request, "Saved.")
    messages.error(request, f"{n} went wrong.")
    messages.info(request, _("Saved %(n)d.") % {"n": n})
    messages.warning(request, f"{_('One.')} {_('Two.')}")
    chart(rows, label="week")
    permissions.require(False, "Hosts only.")
    permissions.require(False, _("Hosts only."))
    if n:
        raise ValidationError("Keep it under " + str(n) + " characters.")
    if n > 1:
        raise ValidationError("Keep it under %d characters." % n, code="long")
    if n > 2:
        raise PermissionDenied(f"No, {n}.")
    raise Http404(_("No such thing."))
'''


def test_the_check_names_each_unmarked_string_it_is_given():
    found = unmarked_in(PLANTED, "planted.py")
    lines = sorted(int(line.split(":")[1]) for line in found)
    source = PLANTED.splitlines()

    def line_of(text):
        return next(i for i, line in enumerate(source, 1) if text in line)

    assert lines == sorted([
        line_of('"Plain words"'), line_of('"size of it"'), line_of('"size of it"'),
        line_of('label="Title"'), line_of('label="Title"'), line_of('"Letters only."'),
        line_of('"Small"'),
        line_of('"Not that title."'), line_of('"Plain help."'), line_of('"Saved."'),
        line_of('f"{n} went wrong."'),
        line_of('False, "Hosts only."'), line_of('"Keep it under " +'),
        line_of('characters." % n'), line_of('f"No, {n}."'),
    ]), found
    assert all(line.startswith("planted.py:") for line in found)
