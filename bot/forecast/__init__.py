"""Demand forecasting: daily demand history per product, forecasts with 80% intervals, restock
suggestions and the outlook of an open round (issue 19)."""
