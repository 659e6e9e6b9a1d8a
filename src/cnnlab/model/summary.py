"""The Keras-like summary table of a network: layers, output shapes, parameter counts."""

from __future__ import annotations

from html import escape


def summary_table(input_shape: tuple[int, ...], layers: list) -> str:
    """One row per built layer, then the total number of parameters.

    Parameters
    ----------
    input_shape : tuple of int
        The shape of one sample, e.g. ``(1, 28, 28)``.
    layers : list of Layer
        Built layers, in order.
    """
    rows = [("#", "Layer", "Output shape", "Params"), ("", "Input", str(input_shape), "0")]
    for index, layer in enumerate(layers):
        shape, count = str(layer.output_shape), f"{layer.parameter_count():,}"
        rows.append((str(index), layer.describe(), shape, count))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    line = "-" * (sum(widths) + 6)
    lines = [line]
    for number, row in enumerate(rows):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if number == 0:
            lines.append(line)
    total = sum(layer.parameter_count() for layer in layers)
    lines += [line, f"Total parameters: {total:,}", line]
    return "\n".join(lines)


def summary_html(input_shape: tuple[int, ...] | None, layers: list, caption: str) -> str:
    """The table as HTML (Jupyter's view of a CNN); output shapes are blank until built."""
    rows = [("", "Input", str(input_shape) if input_shape else "", "")]
    for index, layer in enumerate(layers):
        shape = str(layer.output_shape) if layer.built else ""
        count = f"{layer.parameter_count():,}" if layer.built else ""
        rows.append((str(index), layer.describe(), shape, count))
    head = "".join(f"<th>{name}</th>" for name in ("#", "Layer", "Output shape", "Params"))
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )
