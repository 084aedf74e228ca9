"""The build's progress bar on standard error (rich): files while reading, then the phases."""

from __future__ import annotations

from kb.progress import BUILD_PROGRESS


class BuildProgress:
    """A rich progress bar on standard error with the build's phases, shown until the build ends."""

    _LABELS = {
        "read": "read & store",
        "tag": "tag topics",
        "rules": "load rules",
        "index": "write index",
        "publish": "publish",
    }

    def __init__(self, quiet: bool) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        console = Console(stderr=True)
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[item]}"),
            TimeElapsedColumn(),
            console=console,
            disable=quiet or not console.is_terminal,
            transient=False,
        )
        self.task = self.progress.add_task("build", total=None, item="")

    def __call__(self, label: str, done: int, total: int) -> None:
        if label.startswith("phase:"):
            name = label.removeprefix("phase:")
            # Phases after reading have no count: the bar pulses until the next phase or the end.
            total_now = None if name != "read" else self.progress.tasks[0].total
            self.progress.update(self.task, description=self._LABELS.get(name, name), total=total_now, item="")
            return
        self.progress.update(self.task, total=total or None, completed=done, item=label.rsplit("/", 1)[-1][:40])

    def __enter__(self) -> BuildProgress:
        self.token = BUILD_PROGRESS.set(self)
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()
        BUILD_PROGRESS.reset(self.token)
