"""The compiled parts of the story grouping: the page summary, the comparison of pairs and the
ranking of candidates (optional: without a C compiler the package installs anyway, and
reader.stories.text, .pairs and .index do the same work in Python and NumPy)."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            f"reader.stories.{name}",
            [f"src/reader/stories/{name}.c"],
            optional=True,
            extra_compile_args=["-O2"],
        )
        for name in ("_summary", "_pairs", "_index")
    ]
)
