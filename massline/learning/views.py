"""The model registry page of the operator console: every routing model with its held-out figures,
the coverage/precision curve, and promote / roll back (admins only, audited)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from massline.workbench.access import ADMIN, staff_required

from . import actions
from .charts import coverage_precision_chart
from .models import ModelVersion

LEVELS = ("1", "2", "3")


def decision_text(version: ModelVersion) -> str:
    """Why the version was promoted or not, in the reader's language."""
    d = version.figures.get("decision") or {}
    kind = d.get("kind")
    if kind in ("better", "not_better"):
        values = {"ours": f"{d['ours']:.3f}", "theirs": f"{d['theirs']:.3f}", "n": d["n"]}
        if kind == "better":
            return (
                _(
                    "Better than the model routing then: mean macro-F1 %(ours)s against %(theirs)s on "
                    "%(n)s held-out requests."
                )
                % values
            )
        return (
            _(
                "Not better than the model routing then: mean macro-F1 %(ours)s against %(theirs)s on "
                "%(n)s held-out requests."
            )
            % values
        )
    if kind == "first":
        return _("No model was routing.")
    if kind == "nothing_held_out":
        return _("Nothing held out to compare on: the model routing then was kept.")
    return version.decision


def _rows(versions, active):
    rows = []
    for v in versions:
        levels = [(level, v.level(int(level))) for level in LEVELS]
        earlier = active is not None and v.version < active.version
        rows.append({"v": v, "levels": levels, "earlier": earlier, "decision": decision_text(v)})
    return rows


@staff_required(ADMIN)
def registry(request):
    from massline.console.views import SECTIONS

    versions = list(ModelVersion.objects.all()[:30])
    active = next((v for v in versions if v.active), None) or ModelVersion.objects.filter(active=True).first()
    shown = active or (versions[0] if versions else None)
    chart = None
    points = []
    if shown is not None:
        curves = {lvl: pts for lvl, pts in (shown.figures.get("curves") or {}).items() if pts}
        thresholds = {lvl: shown.level(int(lvl)).get("threshold", 2) for lvl in LEVELS}
        target = float(shown.figures.get("target", 0.97))
        if curves:
            chart = coverage_precision_chart(
                curves,
                thresholds,
                target=target,
                title=_("Coverage and precision of model v%(version)s on held-out requests")
                % {"version": shown.version},
                level_label=_("Level %(level)s"),
            )
            for lvl, pts in curves.items():
                step = max(1, len(pts) // 8)
                points += [(lvl, p) for p in pts[::step]]
    context = {
        "sections": SECTIONS.values(),
        "nav": "console",
        "rows": _rows(versions, active),
        "active": active,
        "shown": shown,
        "chart": chart,
        "points": points,
        "target": shown.figures.get("target", 0.97) if shown else None,
    }
    return render(request, "learning/registry.html", context)


@require_POST
@staff_required(ADMIN)
def promote_version(request, version):
    chosen = get_object_or_404(ModelVersion, version=version)
    by = request.user.get_username()
    try:
        active = ModelVersion.objects.filter(active=True).first()
        if active is not None and chosen.version < active.version:
            actions.rollback(chosen, by=by, user=request.user)
            messages.success(request, _("Rolled back to model v%(version)s.") % {"version": chosen.version})
        else:
            actions.promote(chosen, by=by, user=request.user)
            messages.success(request, _("Model v%(version)s now routes.") % {"version": chosen.version})
    except actions.RegistryError as exc:
        messages.error(request, str(exc))
    return redirect("learning:registry")
