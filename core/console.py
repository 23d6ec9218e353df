"""Progress bars for management commands: one bar at a time, redrawn on one line of the command's stderr."""

from tqdm import tqdm


class LineStream:
    """A command's ``OutputWrapper`` without the newline it adds to every write, so tqdm can redraw its line."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")

    def flush(self) -> None:
        self.wrapper.flush()


class SectionProgress:
    """The importer's ``progress(section, total)``: a bar per section, each replacing the one before.

    Use it as a context manager, so that the last bar is cleared whatever happens.
    """

    def __init__(self, stderr, *, disable: bool, prefix: str = ""):
        self.stream = LineStream(stderr)
        self.disable = disable
        self.prefix = prefix
        self.bar = None

    def __call__(self, section: str, total: int, unit: str = "entry"):
        self.close()
        self.bar = tqdm(
            total=total,
            desc=f"{self.prefix}{section}",
            unit=unit,
            unit_scale=unit == "B",  # bytes: kB, MB, GB
            disable=self.disable,
            leave=False,
            file=self.stream,
        )
        return self.bar.update

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
