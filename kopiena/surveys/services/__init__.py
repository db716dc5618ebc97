"""Every write of the surveys app, one module per thing written (STYLE.md: services)."""
