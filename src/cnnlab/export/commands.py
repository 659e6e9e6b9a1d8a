"""``cnnlab export MODEL.npz --to onnx|torch -o OUT``."""

from __future__ import annotations

import argparse
from pathlib import Path

SUFFIXES = {"onnx": ".onnx", "torch": ".pt"}


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add ``export`` to the ``cnnlab`` command's subparsers."""
    export = commands.add_parser(
        "export",
        help="export a saved model to ONNX or to PyTorch (TorchScript)",
        description="Write a cnnlab model file as an ONNX graph (for onnxruntime and every ONNX "
        "tool) or as TorchScript (torch.jit.load(OUT) gives the torch.nn.Sequential, on any "
        "device, without cnnlab).",
    )
    export.add_argument("model", help="a model file written by CNN.save or cnnlab train")
    export.add_argument("--to", choices=sorted(SUFFIXES), required=True, help="target format")
    export.add_argument("-o", "--output", help="output file (default: MODEL with .onnx or .pt)")
    export.add_argument(
        "--overwrite", action="store_true", help="replace OUT if it exists (default: refuse)"
    )
    export.set_defaults(handler=run_export)


def run_export(arguments: argparse.Namespace) -> Path:
    """Export the model file to ONNX or TorchScript; returns the file written."""
    from cnnlab.model.files import load_model

    model = load_model(arguments.model)
    output = Path(arguments.output or Path(arguments.model).with_suffix(SUFFIXES[arguments.to]))
    if output.exists() and not arguments.overwrite:
        raise ValueError(f"{output} exists; pass --overwrite to replace it, or choose -o")
    if model.input_shape is None:
        raise ValueError(f"{arguments.model} holds an unbuilt model: nothing to export")
    if arguments.to == "onnx":
        from cnnlab.export.onnx import to_onnx

        to_onnx(model, output)
    else:
        import torch

        from cnnlab.export.to_torch import to_torch

        scripted = torch.jit.script(to_torch(model).eval())
        temporary = output.with_name(output.name + ".tmp")
        scripted.save(str(temporary))
        temporary.replace(output)
    print(f"{arguments.model} -> {output} ({arguments.to})")
    return output
