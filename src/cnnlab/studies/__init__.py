"""End-to-end studies that join the parts: data from ``physics``, networks from ``zoo``, figures."""
