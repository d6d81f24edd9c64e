"""The embeddable credit query window and shop badge (``GET /widget.js``) and the demo platform
page that embeds them (``GET /demo/platform``, outside production); docs/WIDGET.md."""
