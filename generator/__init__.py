"""The citable appendix: Jinja2 LaTeX templates filled from build/, compiled with latexmk (pdfLaTeX)."""
