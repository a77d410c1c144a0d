"""Check that requirements.lock answers pyproject.toml: every dependency and every
package of the dev extra pinned there, at a version its specifier allows.

Usage: python .ci/lock_check.py pyproject.toml requirements.lock
Exits 1, naming what is missing or out of range, when pyproject.toml changed after the
lock was written: run `make lock` then.
"""

import re
import sys
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", re.MULTILINE)


def main() -> int:
    with open(sys.argv[1], "rb") as handle:
        project = tomllib.load(handle)["project"]
    with open(sys.argv[2], encoding="utf-8") as handle:
        pins = {
            canonicalize_name(name): Version(version)
            for name, version in PIN.findall(handle.read())
        }
    wanted = [*project["dependencies"], *project.get("optional-dependencies", {}).get("dev", [])]
    problems = []
    for line in wanted:
        requirement = Requirement(line)
        pinned = pins.get(canonicalize_name(requirement.name))
        if pinned is None:
            problems.append(f"{requirement.name} is not in the lock file")
        elif not requirement.specifier.contains(pinned, prereleases=True):
            problems.append(f"{requirement.name}=={pinned} does not satisfy {requirement}")
    for problem in problems:
        print(f"{sys.argv[2]}: {problem}", file=sys.stderr)
    if problems:
        print(f"{sys.argv[2]} is older than {sys.argv[1]}: run `make lock`.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
