"""All layout for paper and PDF: receipts, slips, badges, posters, hour sheets, the impact report.

Turns domain objects into printer-neutral `Document`s and A4 PDFs; reads domain objects only."""
