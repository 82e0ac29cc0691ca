"""The compiled part of the story grouping's page summary (optional: without a C compiler the
package installs anyway, and reader.stories.text does the same work in Python)."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "reader.stories._summary",
            ["src/reader/stories/_summary.c"],
            optional=True,
            extra_compile_args=["-O2"],
        )
    ]
)
