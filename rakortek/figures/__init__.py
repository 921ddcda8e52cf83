"""Pictures of a meeting drawn on the server as SVG: charts and the province map.

The same markup goes into the pages and into the PDFs (WeasyPrint draws inline
SVG), so nothing is loaded from elsewhere and no script draws anything.
"""
