"""``GET /report/{uscc}``: the printable credit report (信用报告)."""

from gateway.report.route import report_route

__all__ = ["report_route"]
