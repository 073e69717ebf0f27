"""The impact report as an A4 PDF in Danish: key figures, charts drawn with fpdf2 primitives, and a page that
says how every figure is worked out (so the municipality can read it without asking)."""

from __future__ import annotations

from typing import Any

from kiosk.domain import impact as rules
from kiosk.domain.impact_report import ImpactReport
from kiosk.printouts.impact_charts import PdfPainter, charts, draw
from kiosk.printouts.pdf_page import (
    BOTTOM,
    FILL,
    FONT,
    GREY,
    INK,
    LEFT,
    LINE,
    RIGHT,
    a4_document,
    new_page,
    paragraph,
    put,
    text_line,
)

TITLE = "Rapport til kommunen"

METHOD = (
    ("Periode", "Alle tal gælder de danske kalenderdage i perioden, begge dage medregnet. En uge er mandag til "
     "søndag; en uge, der kun delvis ligger i perioden, tæller kun med sine dage i perioden."),
    ("Medarbejdere", "Personer med rollen medarbejder (ledere og administratorer tælles ikke med). Aktiv: mindst "
     "én vagt i perioden. Ny: personens første vagt nogensinde ligger i perioden."),
    ("Betalte timer", "De samme minutter som på månedens timeseddel: registreringer med kendt sluttid, efter "
     "lederes rettelser. Dage uden kendt sluttid tæller ikke, før en leder har fastsat tiden."),
    ("Timer pr. medarbejder pr. uge", "Alle betalte timer delt med summen af medarbejdernes uger. En medarbejders "
     "uger tælles fra ugen med første vagt (eller periodens første uge) til periodens sidste uge."),
    ("Stabilt fremmøde", "For hver medarbejder: andelen af de samme uger, hvor personen mødte mindst én gang. "
     "Rapporten viser gennemsnittet og hvor mange, der mødte mindst 3 af 4 uger (75 %). Uger, der ikke er "
     "begyndt endnu, tæller ikke."),
    ("Småjobs", "Udbudt: job, der starter i perioden og ikke er aflyst. Besat: tilmeldinger, der fik en plads "
     "(ikke venteliste, ikke afmeldt). Gennemført: jobbet er slut, og mindst én beboer mødte op. Udeblivelser: "
     "andel af tilmeldte med plads på afsluttede job, som ikke kom."),
    ("Beboere", "Engageret: forskellige beboere, der tilmeldte sig et småjob i perioden. Ny: beboeren blev "
     "oprettet i perioden."),
    ("Salg", "Kvitteringer i perioden inkl. moms; returneringer er trukket fra, øvelseskvitteringer er ikke med."),
    ("Diskretion", f"Tal fra 1 til 4, der handler om personer, vises som {rules.SUPPRESSED}, så ingen kan "
     "genkendes. Gennemsnit og andele, der bygger på færre end 5 personer, vises som –. Timer pr. uge vises "
     "kun for uger med mindst 5 aktive medarbejdere. Nul vises, fordi det ikke peger på nogen."),
)  # fmt: skip


def render_pdf(report: ImpactReport) -> bytes:
    pdf = a4_document(f"{TITLE} {report.period_text}", report.shop.name, report.generated_at)
    _page(pdf, report)
    _key_figures(pdf, report)
    painter = PdfPainter(pdf, FONT)
    all_charts = charts(report)
    _page(pdf, report)
    y = pdf.get_y()
    for chart in all_charts[:3]:
        draw(painter, chart, LEFT, y, RIGHT - LEFT, 72)
        y += 80
    _page(pdf, report)
    y = pdf.get_y()
    half = (RIGHT - LEFT - 10) / 2
    for i, chart in enumerate(all_charts[3:5]):
        draw(painter, chart, LEFT + i * (half + 10), y, half, 66)
    pdf.set_xy(LEFT, y + 72)
    _method(pdf, report)
    return bytes(pdf.output())


def _page(pdf: Any, report: ImpactReport) -> None:
    new_page(pdf, report.shop, report.generated_at)
    pdf.ln(4)
    text_line(pdf, 18, TITLE, bold=True, h=9)
    text_line(pdf, 11, f"Effektmåling for perioden {report.period_text}", h=6)
    pdf.set_draw_color(*LINE)
    pdf.line(LEFT, pdf.get_y() + 1, RIGHT, pdf.get_y() + 1)
    pdf.ln(5)


def _key_figures(pdf: Any, report: ImpactReport) -> None:
    group = ""
    for fig in report.figures():
        if fig.group != group:
            group = fig.group
            pdf.ln(2)
            pdf.set_font(FONT, "B", 11)
            put(pdf, LEFT, pdf.get_y(), RIGHT - LEFT, 7.5, "  " + group, fill=FILL)
            pdf.ln(7.5)
        y = pdf.get_y()
        pdf.set_font(FONT, "", 10)
        put(pdf, LEFT, y, 68, 6.6, fig.label)
        pdf.set_font(FONT, "B", 11)
        put(pdf, LEFT + 68, y, 34, 6.6, fig.text, align="R")
        pdf.set_font(FONT, "", 8.5)
        pdf.set_text_color(*GREY)
        put(pdf, LEFT + 108, y, RIGHT - LEFT - 108, 6.6, fig.note)
        pdf.set_text_color(*INK)
        pdf.set_xy(pdf.l_margin, y + 6.6)
    pdf.ln(4)
    text_line(pdf, 11, "Medarbejdere efter timer pr. uge (gennemsnit)", bold=True, h=7)
    for label, count in report.hour_bands:
        y = pdf.get_y()
        pdf.set_font(FONT, "", 10)
        put(pdf, LEFT, y, 68, 6.2, label)
        pdf.set_font(FONT, "B", 11)
        put(pdf, LEFT + 68, y, 34, 6.2, rules.count_text(count), align="R")
        pdf.set_xy(pdf.l_margin, y + 6.2)
    pdf.ln(3)
    text_line(
        pdf,
        8.5,
        f"Tal fra 1 til 4 vises som {rules.SUPPRESSED}, gennemsnit over færre end 5 personer som –. "
        "Se side 3 for hvordan tallene er regnet.",
        h=5,
        color=GREY,
    )


def _method(pdf: Any, report: ImpactReport) -> None:
    pdf.ln(2)
    text_line(pdf, 12, "Sådan er tallene regnet", bold=True, h=7)
    for title, body in METHOD:
        if pdf.get_y() > BOTTOM - 18:
            _page(pdf, report)
        y = pdf.get_y()
        pdf.set_font(FONT, "B", 8.5)
        put(pdf, LEFT, y, RIGHT - LEFT, 4.4, title)
        pdf.set_xy(LEFT, y + 4.4)
        pdf.set_font(FONT, "", 8.5)
        paragraph(pdf, LEFT, RIGHT - LEFT, 4.2, body)
        pdf.ln(0.8)
