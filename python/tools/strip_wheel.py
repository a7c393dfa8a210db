"""Strips the native library inside a built wheel, in place, and rewrites RECORD.

maturin must not strip (``--strip``): uniffi-bindgen reads the library's symbol table to
generate the bindings. So the wheel is built unstripped and its shipped copy stripped
here, afterwards. Usage: strip_wheel.py WHEEL [STRIPPED_LIB_OUT]
"""

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile


def record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def main(wheel: str, lib_out: str = "") -> None:
    with zipfile.ZipFile(wheel) as source:
        entries = [(info, source.read(info.filename)) for info in source.infolist()]
    with tempfile.TemporaryDirectory() as tmp:
        rewritten = []
        for info, data in entries:
            if info.filename.endswith(".so"):
                path = os.path.join(tmp, "lib.so")
                with open(path, "wb") as f:
                    f.write(data)
                subprocess.run(["strip", "--strip-all", path], check=True)
                with open(path, "rb") as f:
                    data = f.read()
                if lib_out:
                    os.makedirs(os.path.dirname(lib_out) or ".", exist_ok=True)
                    shutil.copyfile(path, lib_out)
            rewritten.append((info, data))
        record_name = next(info.filename for info, _ in rewritten if info.filename.endswith(".dist-info/RECORD"))
        lines = [
            f"{info.filename},{record_hash(data)},{len(data)}"
            for info, data in rewritten
            if info.filename != record_name
        ]
        lines.append(f"{record_name},,")
        out = os.path.join(tmp, "out.whl")
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
            for info, data in rewritten:
                if info.filename == record_name:
                    data = ("\n".join(lines) + "\n").encode()
                target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
        shutil.move(out, wheel)


if __name__ == "__main__":
    main(*sys.argv[1:])
