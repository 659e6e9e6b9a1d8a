"""Run a snippet in a subprocess capped at 500 MB of address space (RLIMIT_AS).

A reader that allocated what a hostile file declares would die of MemoryError
there instead of raising the ValueError a test wants; the peak of the
process's virtual memory comes back too.
"""

import json
import os
import subprocess
import sys
import textwrap

CAP = 500 << 20


def run_capped(code: str) -> dict:
    """Run ``code`` under the cap; returns the name and message of what it raised, and the peak."""
    body = textwrap.indent(textwrap.dedent(code).strip(), "    ")
    script = "\n".join([
        "import json, resource",
        f"resource.setrlimit(resource.RLIMIT_AS, ({CAP}, {CAP}))",
        "result = {}",
        "try:",
        body,
        "    result['error'] = None",
        "except Exception as error:",
        "    result['error'] = type(error).__name__",
        "    result['message'] = str(error)",
        "status = open('/proc/self/status').read()",
        "result['peak_kb'] = int(status.split('VmPeak:')[1].split()[0])",
        "print(json.dumps(result))",
    ])  # fmt: skip
    environment = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=environment, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
