"""The embeddable credit query window and shop badge (``GET /widget.js``), the demo platform
page that embeds them (``GET /demo/platform``) and the demo dashboard of ``Query.stats``
(``GET /demo/dashboard``), both outside production; docs/WIDGET.md, docs/DASHBOARD.md."""
