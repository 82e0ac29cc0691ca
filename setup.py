"""The compiled parts of the story grouping: the page summary and the comparison of pairs
(optional: without a C compiler the package installs anyway, and reader.stories.text and
reader.stories.pairs do the same work in Python)."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            f"reader.stories.{name}",
            [f"src/reader/stories/{name}.c"],
            optional=True,
            extra_compile_args=["-O2"],
        )
        for name in ("_summary", "_pairs")
    ]
)
