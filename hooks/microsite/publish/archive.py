"""A reproducible zip: sorted entries, one fixed timestamp, fixed permissions."""

from __future__ import annotations

import os
import subprocess
import time
import zipfile

FALLBACK_EPOCH = 946684800   # 2000-01-01, when neither SOURCE_DATE_EPOCH nor git gives a date


def source_date_epoch(project_dir: str) -> int:
    """SOURCE_DATE_EPOCH if set, else the time of the last commit, else a fixed date."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value and value.isdigit():
        return int(value)
    try:
        output = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=project_dir, capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
        if output.isdigit():
            return int(output)
    except (OSError, subprocess.SubprocessError):
        pass
    return FALLBACK_EPOCH


def write_zip(folder: str, archive: str, prefix: str, epoch: int) -> int:
    """Zip `folder` under `prefix/`; returns the archive's size in bytes."""
    stamp = time.gmtime(max(epoch, 315532800))[:6]        # zip dates start in 1980
    paths = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in names:
            full = os.path.join(root, name)
            paths.append((os.path.relpath(full, folder).replace(os.sep, "/"), full))
    paths.sort()
    temporary = archive + ".tmp"
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for relative, full in paths:
            info = zipfile.ZipInfo(f"{prefix}/{relative}", date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            with open(full, "rb") as handle:
                out.writestr(info, handle.read(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    os.replace(temporary, archive)
    return os.path.getsize(archive)
