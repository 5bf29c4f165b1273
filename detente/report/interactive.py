"""Interactive charts for the HTML report: the web app's Vega-Lite specifications
(``detente.report.vega``) drawn by the Vega JavaScript that the vl-convert package ships,
inlined so the report stays one file that loads nothing."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from detente.errors import InputError
from detente.report import vega

_EMBED = (
    "document.querySelectorAll('div.vl-chart').forEach(function (el) {"
    " var spec = JSON.parse(document.getElementById(el.id + '-spec').textContent);"
    " vegaEmbed(el, spec, {actions: false}).catch(function (e) { el.textContent = String(e); });"
    " });"
)


def _json(spec: Mapping[str, Any]) -> str:
    """JSON that cannot end its script element, whatever text the spec carries."""
    return (json.dumps(spec, ensure_ascii=True).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026"))


def specifications(doc: Mapping[str, Any], issues: Sequence[str]) -> list[dict[str, Any]]:
    """The charts of a forecast document: forecasts per issue, then each dynamic model's
    rounds per issue (the same specifications the web app draws)."""
    out = [vega.forecast_chart({**doc, "issues": [i for i in doc["issues"] if i["id"] in issues]})]
    for issue in doc["issues"]:
        if issue["id"] in issues and any(f.get("rounds") for f in issue["forecasts"].values()):
            out.append(vega.trajectory_chart(doc, issue["id"]))
    return out


def charts_markup(specs: Sequence[Mapping[str, Any]]) -> Markup:
    """The charts as HTML: the Vega bundle, one element and one JSON block per chart, and
    the few lines that draw them."""
    try:
        import vl_convert
    except ImportError:
        raise InputError("interactive reports need the vl-convert-python package",
                         field="--interactive",
                         hint="pip install 'detente[web]', or leave out --interactive") from None
    # None: the default bundle (vegaEmbed, vega, vegaLite as globals); the stub says str
    bundle = vl_convert.javascript_bundle(None)  # type: ignore[arg-type]
    bundle = bundle.replace("</script", "<\\/script")
    parts = [f"<script>{bundle}</script>"]
    for k, spec in enumerate(specs):
        parts.append(f'<div class="vl-chart" id="vl-{k}"></div>')
        parts.append(f'<script type="application/json" id="vl-{k}-spec">{_json(spec)}</script>')
    parts.append(f"<script>{_EMBED}</script>")
    return Markup("\n".join(parts))
