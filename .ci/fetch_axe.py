"""Fetch axe-core, the accessibility engine the browser tests inject, from the npm
registry: one pinned version, checked against the registry's sha512 before it is
unpacked into .ci/vendor/axe-core/ (not committed)."""

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "4.14.1"
TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
INTEGRITY = (
    "sha512-"
    "FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
)
TARGET = Path(__file__).resolve().parent / "vendor" / "axe-core"
WANTED = ("package/axe.min.js", "package/LICENSE", "package/package.json")


def main() -> int:
    if (TARGET / "axe.min.js").exists() and VERSION in (TARGET / "package.json").read_text():
        print(f"axe-core {VERSION} already in {TARGET}")
        return 0
    with urllib.request.urlopen(TARBALL, timeout=60) as response:
        data = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != INTEGRITY:
        print(f"axe-core {VERSION}: checksum mismatch ({digest})", file=sys.stderr)
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for name in WANTED:
            member = archive.extractfile(name)
            assert member is not None, name
            (TARGET / Path(name).name).write_bytes(member.read())
    print(f"axe-core {VERSION} unpacked into {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
