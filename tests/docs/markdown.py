"""The shell examples of the Markdown docs, as a reader copies them."""

import re
from dataclasses import dataclass
from pathlib import Path

# On the line before a fence, this comment keeps the block out of the run (deploy snippets,
# commands that set up a machine): `<!-- docs-test: skip (why) -->`.
SKIP_MARKER = re.compile(r"<!--\s*docs-test:\s*skip\b.*-->")
_FENCE = re.compile(r"^```sh\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_ASSIGNED = re.compile(r"(?:^|[;\s(])([A-Z][A-Z0-9_]*)=")
_STATUS = re.compile(r"\b([1-5]\d\d)\b")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # of the opening fence, 1-based
    text: str

    def __str__(self) -> str:
        return f"{self.path.name}:{self.line}"

    @property
    def assigned(self) -> list[str]:
        """The shell variables the block sets, to hand on to the blocks after it."""
        return sorted(set(_ASSIGNED.findall(self.text)))

    def statuses_announced_for(self, line: int) -> set[int]:
        """HTTP statuses named by the comment above `line` (1-based in the block): what the
        command there is documented to answer. Empty when the comment names none."""
        lines = self.text.splitlines()
        index = min(line, len(lines)) - 1
        while index >= 0 and not lines[index].lstrip().startswith("#"):
            index -= 1
        comment: list[str] = []
        while index >= 0 and lines[index].lstrip().startswith("#"):
            comment.append(lines[index])
            index -= 1
        return {int(status) for status in _STATUS.findall(" ".join(comment))}


def shell_blocks(path: Path) -> list[Block]:
    """Every ```sh block of `path`, but those marked to skip."""
    text = path.read_text()
    blocks = []
    for match in _FENCE.finditer(text):
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        if SKIP_MARKER.search(before):
            continue
        line = text.count("\n", 0, match.start()) + 1
        blocks.append(Block(path, line, match.group(1)))
    return blocks
