"""Where the real community dump is: ``GRAVITY_EVALDATA``, else ``../shared/evaldata`` beside
the checkout, else the machine's ``/work/shared/evaldata`` (a clean checkout elsewhere on the
same machine still finds it)."""
import os
from pathlib import Path

_CANDIDATES = [
    os.environ.get("GRAVITY_EVALDATA", ""),
    str(Path(__file__).resolve().parents[2] / "shared" / "evaldata"),
    "/work/shared/evaldata",
]


def evaldata() -> Path | None:
    for candidate in _CANDIDATES:
        if candidate and (Path(candidate) / "beer-stackexchange-2016").is_dir():
            return Path(candidate)
    return None


_ROOT = evaldata()
BEER = (_ROOT / "beer-stackexchange-2016") if _ROOT else Path("/nonexistent/beer")
# Staff and moderators of the beer site (derived_roles.csv): the ids an operator lists.
BEER_STAFF = "13,17,60,971,3946,80,8,73,37,43,5078"
