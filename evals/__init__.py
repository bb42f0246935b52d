"""Quality gates on third-party data kept outside the repository (`make eval`)."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Beside the repository in CI (../shared/data); anywhere else with SHARED_DATA=/path/to/data.
SHARED_DATA = Path(os.environ.get("SHARED_DATA") or ROOT.parent / "shared" / "data")
