"""What the service tells its operators: Prometheus metrics and OpenTelemetry spans."""
