"""Write stage: build the whole new output beside the old one, then swap the two in one step.

Design (issues 3 and 16, "output discipline"):

1. The build renders every output file. A file whose bytes equal the file already in the
   output folder is not written again: the new tree gets a hard link to it, so it keeps its
   inode and mtime (rsync, `tamatar serve` and browsers see it unchanged).
2. Every new or changed file is written into a staging folder beside the output folder
   (same file system): `.<name>.tamatar-stage-<pid>/`. Nothing in the output changes while
   the build renders; if anything fails, the staging folder is deleted and the output is
   exactly as before.
3. The commit completes the staging folder into the whole new output: hard links to the
   unchanged files, the files you added by hand (anything the last build's list in
   `.tamatar-output` does not name, `.git` included), and that list for this build. Then
   one `renameat2(RENAME_EXCHANGE)` swaps the two folders, and the old tree is deleted
   (by a background thread in `tamatar serve`). A large old tree is kept instead as the
   spare, `.<name>.tamatar-spare/`: the next commit completes the new output there,
   changing only the entries that differ from the output (`write/tree.py`).
   Where the system has no such call, two renames do it (old -> `.<name>.tamatar-old-<pid>`,
   new -> output): a kill between them leaves no output folder, and the next build puts
   the old one back. A build that changed nothing swaps nothing.
4. Staging and old folders of builds that were killed (their pid is gone) are deleted by the
   next build (a spare one had claimed is the spare again). Nothing is ever written or
   deleted through a symbolic link in the output: the new tree is built from links and new
   files (a spare's entries are deleted, not written into), and the old one is deleted
   without following links.

A non-empty output folder is used only when an earlier build owns it: it holds
`.tamatar-output` (or the site's cache lists the files a build wrote there).
"""

from tamatar_site.write.marker import MARKER, OutputError, owned_files
from tamatar_site.write.output import (
    StaticStamp,
    WriteResult,
    check_output_dir,
    copy_static,
    result_of,
    staged_output,
    static_stamp,
)
from tamatar_site.write.stage import Stage
from tamatar_site.write.swap import exchange, staging_folder, wait_for_removals

__all__ = [
    "MARKER",
    "OutputError",
    "Stage",
    "StaticStamp",
    "WriteResult",
    "check_output_dir",
    "copy_static",
    "exchange",
    "owned_files",
    "result_of",
    "staged_output",
    "staging_folder",
    "static_stamp",
    "wait_for_removals",
]
