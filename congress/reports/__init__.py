"""Official documents (PDF): data builders, SVG charts, numbering and the renderer.

Import submodules directly; this package's own import stays free of Django so that the
render worker processes start light."""
