"""Label Studio results: validation against the config, offsets, geometry and brush masks.

| module | concept |
|---|---|
| `_validate.py` | result lists checked against the config; origins matched against the shown prediction |
| `_offsets.py` | code points <-> UTF-16 code units at the Label Studio boundary |
| `_geometry.py` | region geometry checks (boxes, polygons, points, ellipses) |
| `_rle.py` | Label Studio brush RLE, encoded and decoded (public as `nblabel.brush`) |
| `_table.py` | annotations as a DataFrame: latest annotation, simple values, the frame of tasks |
"""
