"""Conclusions written by staff, and reports frozen when they are published."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportConclusion(models.Model):
    """Staff's conclusions ("Secinājumi") for one section of a survey's report.

    `section` is the name of a group of the questionnaire, or "" for the whole report.
    The text is Markdown, sanitized when rendered.
    """

    survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.CASCADE, related_name="report_conclusions"
    )
    section = models.CharField(_("sadaļa"), max_length=100, blank=True)
    text = models.TextField(_("secinājumi"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("secinājumi")
        verbose_name_plural = _("secinājumi")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "section"], name="report_conclusion_one_per_section"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.section or '*'}"


class PublishedReport(models.Model):
    """A report frozen at publication: its figures and conclusions never change afterwards.

    `data` is the report in the JSON format of spec/report-json.md (with the sections,
    conclusions and options it was built with); the permanent link is its `uuid`.
    Only staff see it unless `is_public` is set.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.CASCADE, related_name="published_reports"
    )
    title = models.CharField(_("nosaukums"), max_length=300)
    data = models.JSONField()
    is_public = models.BooleanField(
        _("publiski pieejams"),
        default=False,
        help_text=_("Ikviens ar saiti var redzēt šo pārskatu."),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("publicēts"), auto_now_add=True)

    class Meta:
        verbose_name = _("publicēts pārskats")
        verbose_name_plural = _("publicēti pārskati")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title
