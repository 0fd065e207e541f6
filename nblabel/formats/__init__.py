"""Label Studio's export formats, written from a DataFrame and read back.

    nblabel.export(df, "out.conll", format="CONLL2003", config=config)
    df = nblabel.read_label_studio("export.json")

Rule: every file written here is what Label Studio (its `label_studio_sdk.converter`, and a 1.23 server) writes
for the same annotations, byte for byte where the golden files allow checking, with text offsets in UTF-16. Where
the converter is wrong, these writers are right and say so in their module docstring: CONLL2003 reads offsets
as offsets into the text (the converter reads UTF-16 offsets as code points), COCO bounds rotated boxes in
pixels (the converter in percent, wrong on non-square images), YOLO_OBB keeps boxes without a `rotation` key;
keypoints (`_keypoints`) keep one COCO annotation per parent box where the converter merges an image's;
BRUSH_TO_COCO writes masks as COCO RLE (exact) where the converter traces lossy polygons (`_brush_out`).

| module | concept |
|---|---|
| `_export.py` | `export`: picks the writer, builds the `Frame` it reads |
| `_read.py` | `read_label_studio`: any export or API shape back into a DataFrame |
| `_frame.py` | a DataFrame (or task list) seen as Label Studio tasks: what every writer reads |
| `_items.py` | one export item per annotation, as the converter makes them |
| `_json.py`, `_json_min.py`, `_csv.py`, `_conll.py`, `_coco.py`, `_yolo.py`, `_voc.py` | one writer per format |
| `_coco_import.py`, `_yolo_import.py` | `read_coco`, `read_yolo`: datasets back into image tasks (`_import_common`) |
| `_brush_out.py` | BRUSH_TO_PNG and BRUSH_TO_COCO: brush masks as PNG files or COCO RLE |
| `_datasets.py` | `to_datasets`: a Hugging Face `datasets.Dataset` |
"""

from ._datasets import to_datasets
from ._export import FORMATS, UnsupportedFormat, export
from ._coco_import import read_coco
from ._read import read_label_studio
from ._yolo_import import read_yolo

__all__ = ["FORMATS", "UnsupportedFormat", "export", "read_coco", "read_label_studio", "read_yolo", "to_datasets"]
