"""Reports and exports for staff with VIEW_REPORTS: the sales report, the fulfillment
report and streamed CSV exports of orders and lines. Read-only: nothing here writes."""
